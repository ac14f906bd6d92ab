"""What Home shows each role, read through the same functions as the lists its figures link to.

- agent (no view_insights): their open work (own open tickets, offers waiting and tasks in
  progress on the Desk), today's figures with agent = themselves (insights.metrics.figure)
  and their latest evaluations (quality.home);
- manager (view_insights without view_all_cases): the KPIs of their area over the last 7 days
  against the 7 before, and what needs attention (insights.attention);
- admin (view_all_cases): the same over the whole workspace.

Every count names the URL of the list that shows exactly its rows, built from the same
filters (tests/home checks count = rows of that page for each)."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from caredesk.core import zones
from caredesk.insights import attention
from caredesk.insights.catalogue import CATALOGUE, Metric
from caredesk.insights.filters import InsightFilters, parse_insight_filters
from caredesk.insights.metrics import Figure, figure
from caredesk.insights.valuetext import change_text, change_tone, value_text
from caredesk.routing.models import (
    AgentProfile,
    Conversation,
    ConversationStatus,
    Offer,
    OfferStatus,
)
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import Tab
from caredesk.workspaces.permissions import Perm

AGENT_TODAY = ("chats", "calls", "tickets", "handle_time", "csat", "quality_score")
MANAGER_KPIS = (
    "tickets",
    "backlog",
    "first_response_time",
    "resolution_time",
    "sla_attainment",
    "nps",
    "csat",
)
KPI_DAYS = 7
# The lists of Home's own list page (home_list) and who may open them.
LIST_KINDS = ("mine", "unassigned", "overdue", "sla-risk", "detractors")


def role(access: Access) -> str:
    if access.has(Perm.VIEW_ALL_CASES):
        return "admin"
    if access.has(Perm.VIEW_INSIGHTS):
        return "manager"
    return "agent"


def list_allowed(access: Access, kind: str) -> bool:
    return kind == "mine" or (role(access) != "agent" and access.has(Perm.INBOX_ACCESS))


def list_rows(access: Access, kind: str):
    """The rows of one of Home's lists, newest first (a figure counts the same query)."""
    if kind == "detractors":
        return (
            attention.detractors_uncontacted(access)
            .select_related("survey", "segment")
            .order_by("-responded_at", "-id")
        )
    qs = {
        "mine": attention.my_open,
        "unassigned": attention.unassigned,
        "overdue": attention.overdue,
        "sla-risk": attention.sla_at_risk,
    }[kind](access)
    return qs.select_related("segment", "owner", "about_agent").order_by("-reported_at", "-id")


@dataclass
class Count:
    key: str
    value: int
    url: str


@dataclass
class Card:
    """One metric's figure as a card: value, previous period, change and its link."""

    metric: Metric
    figure: Figure
    url: str

    @property
    def text(self) -> str:
        return value_text(self.metric, self.figure.value)

    @property
    def previous_text(self) -> str:
        return value_text(self.metric, self.figure.previous)

    @property
    def change(self) -> str:
        return change_text(self.figure.change)

    @property
    def tone(self) -> str:
        return change_tone(self.metric, self.figure.change)


def _list_url(access: Access, kind: str) -> str:
    return reverse("home_list", args=[access.workspace.slug, kind])


def agent_panel(access: Access) -> dict:
    """Open work and today's figures of the user themselves."""
    ws = access.workspace
    profile = AgentProfile.objects.filter(workspace=ws, user=access.user).first()
    offers = tasks = 0
    if profile is not None:
        offers = Offer.objects.filter(agent=profile, status=OfferStatus.OFFERED).count()
        tasks = Conversation.objects.filter(agent=profile, status=ConversationStatus.ACTIVE).count()
    work = [Count("mine", attention.my_open(access).count(), _list_url(access, "mine"))]
    # The Desk's figures only where the workspace has the Desk (they link to it).
    if Tab.DESK in ws.enabled_tabs:
        desk = reverse("desk", args=[ws.slug])
        work += [Count("offers", offers, desk), Count("tasks", tasks, desk)]
    today = zones.today()
    filters = parse_insight_filters(
        {"from": today.isoformat(), "to": today.isoformat(), "agent": str(access.user.pk)},
        access,
    )
    cards = []
    for name in AGENT_TODAY:
        if name not in CATALOGUE:
            continue
        url = reverse("home_today", args=[ws.slug, name])
        cards.append(Card(CATALOGUE[name], figure(access, name, filters), url))
    return {"work": {c.key: c for c in work}, "today_cards": cards, "today_filters": filters}


def kpi_filters(access: Access, today: dt.date | None = None) -> InsightFilters:
    today = today or zones.today()
    start = today - dt.timedelta(days=KPI_DAYS - 1)
    return parse_insight_filters({"from": start.isoformat(), "to": today.isoformat()}, access)


def insights_url(access: Access, filters: InsightFilters, metric: str = "") -> str:
    params = filters.as_params()
    if metric:
        params["metric"] = metric
    return reverse("insights_dashboard", args=[access.workspace.slug]) + "?" + urlencode(params)


def manager_panel(access: Access) -> dict:
    """The area's KPIs over the last KPI_DAYS days and the attention lists."""
    filters = kpi_filters(access)
    cards = [
        Card(CATALOGUE[name], figure(access, name, filters), insights_url(access, filters, name))
        for name in MANAGER_KPIS
        if name in CATALOGUE
    ]
    counts = [
        Count(kind, list_rows(access, kind).count(), _list_url(access, kind))
        for kind in ("overdue", "sla-risk", "detractors")
    ]
    return {
        "kpi_cards": cards,
        "kpi_filters": filters,
        "kpi_url": insights_url(access, filters),
        "attention": {c.key.replace("-", "_"): c for c in counts},
        "sla_risk_hours": attention.SLA_RISK_HOURS,
        "detractor_days": attention.DETRACTOR_DAYS,
    }
