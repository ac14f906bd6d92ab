"""Insights: the metric catalogue (one definition per KPI, used by every card, chart, table,
export and API answer), business hours, the measures kept per ticket and conversation, the
Insights tab, the drill-down lists and the weekly digest. docs/metrics.md is the reference."""
