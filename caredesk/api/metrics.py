"""Metrics over REST: GET …/metrics (the same numbers as the Insights tab's cards, charts
and tables, computed by caredesk.insights.metrics) and the drill-down lists."""

from ninja import Router

router = Router()
