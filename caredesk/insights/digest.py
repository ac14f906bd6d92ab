"""The weekly digest: each member who sees insights gets, once a week, the KPIs of their
management area (admins: the workspace) for the last full week (Monday to Sunday) against the
week before, computed by insights.metrics under the same filters the Insights tab reads from
the links in the email, so the email and the tab show the same numbers.

- in the recipient's language, zone and formats (their own, else the workspace's);
- plain text and HTML (templates/insights/digest/);
- `DigestSent` (workspace, user, week) makes a second run of the same week send nothing;
- `DigestOptOut`: a signed link in the email (no log-in) or the profile's checkbox.
"""

import datetime as dt
import logging
import zoneinfo
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from caredesk.core.i18n import staff_zone, supported
from caredesk.feedback.evaluation import base_url
from caredesk.insights.catalogue import CATALOGUE, Metric
from caredesk.insights.filters import InsightFilters, parse_insight_filters
from caredesk.insights.metrics import Figure, figure
from caredesk.insights.models import DigestOptOut, DigestSent
from caredesk.insights.valuetext import change_text, change_tone, value_text
from caredesk.workspaces.access import Access, members_holding, workspace_permissions
from caredesk.workspaces.models import User, Workspace
from caredesk.workspaces.permissions import Perm

log = logging.getLogger(__name__)

DIGEST_METRICS = (
    "tickets",
    "chats",
    "calls",
    "emails",
    "backlog",
    "first_response_time",
    "handle_time",
    "resolution_time",
    "sla_attainment",
    "nps",
    "csat",
)
# The periodic task sends from this hour on, on Monday in the workspace's zone.
SEND_HOUR = 7
TOKEN_SALT = "caredesk.insights.digest.opt-out"


# --------------------------------------------------------------------------- weeks


def week_of(day: dt.date) -> dt.date:
    """The Monday of the week holding `day`."""
    return day - dt.timedelta(days=day.weekday())


def last_full_week(today: dt.date) -> dt.date:
    """The Monday of the last week that has ended (the week before today's)."""
    return week_of(today) - dt.timedelta(days=7)


def workspace_today(workspace: Workspace, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(workspace.time_zone)).date()


def due(workspace: Workspace, now: dt.datetime) -> bool:
    """Monday from SEND_HOUR on in the workspace's zone (DigestSent keeps later runs quiet)."""
    local = now.astimezone(zoneinfo.ZoneInfo(workspace.time_zone))
    return local.weekday() == 0 and local.hour >= SEND_HOUR


# --------------------------------------------------------------------------- opt-out


def opt_out_token(workspace: Workspace, user: User) -> str:
    return signing.dumps({"w": workspace.pk, "u": user.pk}, salt=TOKEN_SALT, compress=True)


def read_opt_out_token(token: str) -> tuple[Workspace, User] | None:
    """The workspace and member a token names; None for a forged, altered or stale one."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
        workspace = Workspace.objects.filter(pk=int(data["w"])).first()
        user = User.objects.filter(pk=int(data["u"]), is_active=True).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if workspace is None or user is None or user.organization_id != workspace.organization_id:
        return None
    return workspace, user


def opted_out(workspace: Workspace, user: User) -> bool:
    return DigestOptOut.objects.filter(workspace=workspace, user=user).exists()


def set_opt_out(workspace: Workspace, user: User, out: bool) -> None:
    if out:
        DigestOptOut.objects.get_or_create(workspace=workspace, user=user)
    else:
        DigestOptOut.objects.filter(workspace=workspace, user=user).delete()


# --------------------------------------------------------------------------- content


@dataclass
class DigestLine:
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


def recipients(workspace: Workspace) -> list[User]:
    """Members holding view_insights with an email address who have not opted out."""
    out = set(DigestOptOut.objects.filter(workspace=workspace).values_list("user_id", flat=True))
    return [
        u for u in members_holding(workspace, Perm.VIEW_INSIGHTS) if u.email and u.pk not in out
    ]


def access_for(workspace: Workspace, user: User) -> Access:
    perms, kind = workspace_permissions(user, workspace)
    return Access(user=user, workspace=workspace, perms=perms, user_kind=kind)


def week_filters(access: Access, week_start: dt.date) -> InsightFilters:
    """The week's filters in the active zone, read as the Insights tab reads its link."""
    end = week_start + dt.timedelta(days=6)
    return parse_insight_filters({"from": week_start.isoformat(), "to": end.isoformat()}, access)


def insights_link(workspace: Workspace, filters: InsightFilters, metric: str = "") -> str:
    params = filters.as_params()
    if metric:
        params["metric"] = metric
    path = reverse("insights_dashboard", args=[workspace.slug])
    return f"{base_url()}{path}?{urlencode(params)}"


def digest_lines(access: Access, filters: InsightFilters) -> list[DigestLine]:
    return [
        DigestLine(
            CATALOGUE[name],
            figure(access, name, filters),
            insights_link(access.workspace, filters, name),
        )
        for name in DIGEST_METRICS
        if name in CATALOGUE
    ]


def language_of(user: User, workspace: Workspace) -> str:
    return supported(user.language) or supported(workspace.language) or "en"


def render_digest(workspace: Workspace, user: User, week_start: dt.date) -> EmailMultiAlternatives:
    """The email for one member, in their language and zone."""
    access = access_for(workspace, user)
    language = language_of(user, workspace)
    with (
        translation.override(language),
        timezone.override(zoneinfo.ZoneInfo(staff_zone(user, workspace))),
    ):
        filters = week_filters(access, week_start)
        token = opt_out_token(workspace, user)
        context = {
            "workspace": workspace,
            "user": user,
            "whole_workspace": access.sees_whole_workspace,
            "filters": filters,
            "previous": filters.previous(),
            "lines": digest_lines(access, filters),
            "insights_url": insights_link(workspace, filters),
            "opt_out_url": base_url() + reverse("digest_opt_out", args=[token]),
            "profile_url": base_url() + reverse("workspace_profile", args=[workspace.slug]),
            "LANGUAGE_CODE": language,
        }
        subject = _("Your week in %(workspace)s: %(start)s – %(end)s") % {
            "workspace": workspace.name,
            "start": _short_day(filters.date_from),
            "end": _short_day(filters.date_to),
        }
        text = render_to_string("insights/digest/email.txt", context)
        html = render_to_string("insights/digest/email.html", context)
    message = EmailMultiAlternatives(
        subject=f"[caredesk] {subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{context['opt_out_url']}>",
            "Content-Language": language,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _short_day(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


# --------------------------------------------------------------------------- sending


def send_digest(
    workspace: Workspace, week_start: dt.date | None = None, *, now: dt.datetime | None = None
) -> int:
    """Email the week's digest to every recipient not yet sent it; returns how many were
    sent. The DigestSent row is written in the same transaction as the send: a failed send
    leaves no row, so the next run tries again; a sent one is never sent twice."""
    week_start = (
        week_of(week_start) if week_start else last_full_week(workspace_today(workspace, now))
    )
    already = set(
        DigestSent.objects.filter(workspace=workspace, week_start=week_start).values_list(
            "user_id", flat=True
        )
    )
    sent = 0
    connection = get_connection()
    for user in recipients(workspace):
        if user.pk in already:
            continue
        access = access_for(workspace, user)
        if not access.sees_whole_workspace and not access.area_paths:
            continue  # manages no segment: their area is empty
        try:
            with transaction.atomic():
                DigestSent.objects.create(workspace=workspace, user=user, week_start=week_start)
                message = render_digest(workspace, user, week_start)
                message.connection = connection
                message.send()
        except IntegrityError:
            continue  # another run sent it meanwhile
        except Exception:
            log.exception("weekly digest of %s not sent to user %s", workspace.slug, user.pk)
            continue
        sent += 1
    return sent


def send_due_digests(now: dt.datetime | None = None) -> int:
    """The periodic task's work: every workspace where it is Monday morning."""
    now = now or timezone.now()
    return sum(send_digest(ws, now=now) for ws in Workspace.objects.order_by("pk") if due(ws, now))
