"""How well an article works (docs/resources.md, "Effectiveness").

Over a period (the last DEFAULT_DAYS days by default, up to now):
- suggested: the conversations it was suggested in (ArticleUse "suggested", one per
  conversation); inserted: the times an agent inserted it into a reply; viewed: its views on
  the public help center (ArticleUse "viewed"). Uses recorded in the period.
- The conversations compared: the workspace's chats (chat activities) that started in the
  period; "with" the article: those it was inserted in (at any time), "without": the others.
- First-contact resolution: insights' metric `first_contact_resolution` on the tickets of
  those conversations — each ticket's CaseMeasure, counted when resolved (first_contact_
  resolution set): the share never reopened with at most one inbound contact. A ticket with a
  conversation of each group counts with the article only.
- CSAT: insights' metric `csat` on the CSAT survey responses about those tickets
  (Response.case): the share of the scores 1–5 that are 4 or 5.
Each figure carries its n (tickets resolved, responses scored) so a small sample shows as
such; a share of nothing is None ("—")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from caredesk.feedback.models import Response
from caredesk.insights.metrics import CALCS
from caredesk.insights.models import CaseMeasure
from caredesk.journey.models import Activity, MediaType
from caredesk.resources.models import Article, ArticleUse, UseKind

DEFAULT_DAYS = 90
MAX_DAYS = 730
# Below this many tickets or responses a share is shown as a small sample.
SMALL_SAMPLE = 10


@dataclass(frozen=True)
class Share:
    n: int  # the rows measured
    k: int  # those that were good

    @property
    def percent(self) -> float | None:
        return round(100.0 * self.k / self.n, 1) if self.n else None


@dataclass(frozen=True)
class Effectiveness:
    article_id: int
    since: dt.datetime
    until: dt.datetime
    days: int
    suggested: int
    inserted: int
    viewed: int
    conversations_with: int
    conversations_without: int
    fcr_with: Share
    fcr_without: Share
    csat_with: Share
    csat_without: Share


def _share(qs, calc_name: str) -> Share:
    calc = CALCS[calc_name]
    row = qs.filter(calc.cond).aggregate(n=Count("pk"), k=Count("pk", filter=calc.good))
    return Share(row["n"] or 0, row["k"] or 0)


def _fcr(workspace_id: int, cases) -> Share:
    measured = CaseMeasure.objects.filter(
        workspace_id=workspace_id, case_id__in=cases, first_contact_resolution__isnull=False
    )
    return _share(measured, "first_contact_resolution")


def _csat(workspace_id: int, cases) -> Share:
    return _share(Response.objects.filter(workspace_id=workspace_id, case_id__in=cases), "csat")


def article_effectiveness(
    article: Article, *, days: int = DEFAULT_DAYS, now: dt.datetime | None = None
) -> Effectiveness:
    until = now or timezone.now()
    since = until - dt.timedelta(days=days)
    ws = article.workspace_id
    uses = ArticleUse.objects.filter(article=article, at__gte=since, at__lt=until)
    counts = uses.aggregate(
        suggested=Count("activity", filter=Q(kind=UseKind.SUGGESTED), distinct=True),
        inserted=Count("pk", filter=Q(kind=UseKind.INSERTED)),
        viewed=Count("pk", filter=Q(kind=UseKind.VIEWED)),
    )
    chats = Activity.objects.filter(
        workspace_id=ws,
        media_type=MediaType.CHAT,
        conversation__isnull=False,
        occurred_at__gte=since,
        occurred_at__lt=until,
    )
    used_in = ArticleUse.objects.filter(
        article=article, kind=UseKind.INSERTED, activity__isnull=False
    ).values("activity_id")
    with_chats = chats.filter(pk__in=used_in)
    without_chats = chats.exclude(pk__in=used_in)
    with_cases = with_chats.filter(case__isnull=False).values("case_id")
    without_cases = (
        without_chats.filter(case__isnull=False).exclude(case_id__in=with_cases).values("case_id")
    )
    return Effectiveness(
        article_id=article.pk,
        since=since,
        until=until,
        days=days,
        suggested=counts["suggested"] or 0,
        inserted=counts["inserted"] or 0,
        viewed=counts["viewed"] or 0,
        conversations_with=with_chats.count(),
        conversations_without=without_chats.count(),
        fcr_with=_fcr(ws, with_cases),
        fcr_without=_fcr(ws, without_cases),
        csat_with=_csat(ws, with_cases),
        csat_without=_csat(ws, without_cases),
    )
