import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from caredesk.action_plans import home as action_plans_home
from caredesk.care.filters import parse_case_filters
from caredesk.care.selectors import case_summary
from caredesk.coaching.models import CoachingSession, SessionStatus
from caredesk.core import zones
from caredesk.core.errors import FieldErrors, show_errors
from caredesk.core.htmx import INVALID
from caredesk.core.i18n import LANGUAGE_CHOICES, time_zone_choices
from caredesk.home import panels
from caredesk.home.rows import present_row
from caredesk.insights import attention, digest
from caredesk.insights.catalogue import CATALOGUE
from caredesk.insights.filters import parse_insight_filters
from caredesk.insights.metrics import figure, rows
from caredesk.quality.home import quality_home
from caredesk.workspaces import services as workspaces
from caredesk.workspaces.access import workspaces_for_user
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view


@login_required
def index(request):
    workspaces_ = workspaces_for_user(request.user)
    if len(workspaces_) == 1:
        return redirect("workspace_home", workspace=workspaces_[0].slug)
    return render(request, "core/index.html", {"workspaces": workspaces_})


@workspace_view()
def workspace_home(request, access):
    role = panels.role(access)
    context = {
        "today": timezone.localdate(),
        "role": role,
        # Everyone's own open tickets (an agent without the inbox owns those they add from
        # the desk), each opening its ticket dialog; the figure counts them all.
        "my_cases": list(
            attention.my_open(access)
            .select_related("segment", "about_agent")
            .order_by("-reported_at")[:10]
        ),
        # Evaluations to do, appeals, coaching cases and sessions; an agent's own evaluations.
        "quality": {**quality_home(access), "sessions_due": sessions_due(access).count()},
    }
    if action_plans_home.enabled(access):
        context["action_items"] = action_plans_home.my_action_items(access)
    if role == "agent":
        context.update(panels.agent_panel(access))
    else:
        context.update(panels.manager_panel(access))
    if access.has(Perm.INBOX_ACCESS):
        filters = parse_case_filters({}, organization_id=access.workspace.organization_id)
        context.update(
            summary=case_summary(access, filters),
            # The list links name the summary's own dates: the same rows whatever day the
            # list is opened.
            summary_query=urlencode(filters.as_params()),
            unassigned=attention.unassigned(access).count(),
            filters=filters,
        )
    return render_ws(request, access, "core/workspace_home.html", context, active="home")


LIST_PAGE = 100


def _page_number(request) -> int:
    value = request.GET.get("page", "1").strip()
    if not value.isdigit() or not 1 <= int(value) <= 10**6:
        raise FieldErrors.one("page", _("Not a page number: %(value)s") % {"value": repr(value)})
    return int(value)


def _paged(page: int, qs, total):
    start = (page - 1) * LIST_PAGE
    return {
        "rows": list(qs[start : start + LIST_PAGE]),
        "total": total,
        "page": page,
        "first": start + 1,
        "has_prev": page > 1,
        "has_next": start + LIST_PAGE < total,
    }


@require_GET
@workspace_view()
def home_list(request, access, kind):
    """One of Home's figures as the list of its rows (the figure counts the same query)."""
    if kind not in panels.LIST_KINDS:
        raise Http404("No such list")
    if not panels.list_allowed(access, kind):
        raise PermissionDenied(_("This list is for those who manage an area."))
    try:
        page = _page_number(request)
    except FieldErrors as e:
        context = {"kind": kind, "errors": e.errors}
        return render_ws(request, access, "core/home_list.html", context, status=400)
    qs = panels.list_rows(access, kind)
    context = {"kind": kind, **_paged(page, qs, qs.count())}
    context.update(
        sla_risk_hours=attention.SLA_RISK_HOURS,
        detractor_days=attention.DETRACTOR_DAYS,
        sla_days=attention.sla_days(access.workspace),
    )
    return render_ws(request, access, "core/home_list.html", context, active="home")


@require_GET
@workspace_view()
def home_today(request, access, metric):
    """The rows behind one of an agent's figures of today (agent = themselves)."""
    if metric not in panels.AGENT_TODAY or metric not in CATALOGUE:
        raise Http404("No such figure")
    today = zones.today()
    filters = parse_insight_filters(
        {"from": today.isoformat(), "to": today.isoformat(), "agent": str(access.user.pk)},
        access,
    )
    card = panels.Card(CATALOGUE[metric], figure(access, metric, filters), "")
    try:
        page = _page_number(request)
    except FieldErrors as e:
        context = {"card": card, "errors": e.errors}
        return render_ws(request, access, "core/home_today.html", context, status=400)
    qs = rows(access, metric, filters)
    context = {"card": card, **_paged(page, qs, card.figure.count)}
    context["rows"] = [present_row(row, access) for row in context["rows"]]
    return render_ws(request, access, "core/home_today.html", context, active="home")


SESSION_DAYS = 7


def sessions_due(access):
    """Scheduled coaching sessions of the next SESSION_DAYS where the user is the coach or
    the agent (Home's figure; the coaching sessions page lists them)."""
    now = timezone.now()
    return CoachingSession.objects.filter(
        Q(coach=access.user) | Q(agent=access.user),
        workspace=access.workspace,
        status=SessionStatus.SCHEDULED,
        scheduled_at__gte=now,
        scheduled_at__lt=now + dt.timedelta(days=SESSION_DAYS),
    )


def forbidden(request, exception=None):
    return render(request, "403.html", {"message": str(exception or "")}, status=403)


# --------------------------------------------------------------------------- profile


def _language_choices():
    return [("", gettext_lazy("The browser's language")), *LANGUAGE_CHOICES]


def _zone_choices():
    return [("", gettext_lazy("The workspace's time zone")), *time_zone_choices()]


class ProfileForm(forms.Form):
    first_name = forms.CharField(max_length=150, required=False, label=gettext_lazy("First name"))
    last_name = forms.CharField(max_length=150, required=False, label=gettext_lazy("Last name"))
    language = forms.ChoiceField(
        choices=_language_choices, required=False, label=gettext_lazy("Language")
    )
    time_zone = forms.ChoiceField(
        choices=_zone_choices, required=False, label=gettext_lazy("Time zone")
    )


class WorkspaceProfileForm(ProfileForm):
    digest = forms.BooleanField(
        required=False,
        label=gettext_lazy("Send me the weekly digest of this workspace"),
        help_text=gettext_lazy(
            "On Monday morning, an email with the key figures of your area for the week "
            "before, against the week before that."
        ),
    )


def _profile(request, render_page, again: str, access=None):
    """The profile form; in a workspace where the user sees insights, with the weekly
    digest's checkbox (its opt-out is kept per workspace)."""
    user = request.user
    digest_choice = access is not None and access.has(Perm.VIEW_INSIGHTS)
    form_class = WorkspaceProfileForm if digest_choice else ProfileForm
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            wants_digest = data.pop("digest", None)
            try:
                workspaces.user_update_profile(user=user, **data)
            except FieldErrors as exc:
                show_errors(form, exc)
            else:
                if digest_choice:
                    digest.set_opt_out(access.workspace, user, not wants_digest)
                messages.success(request, _("Profile saved."))
                return redirect(again)
        return render_page({"form": form}, INVALID)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "time_zone": user.time_zone,
    }
    if digest_choice:
        initial["digest"] = not digest.opted_out(access.workspace, user)
    return render_page({"form": form_class(initial=initial)}, 200)


@login_required
def profile(request):
    """The profile outside a workspace (a user with several, or none)."""

    def page(context, status):
        return render(request, "core/profile.html", context, status=status)

    return _profile(request, page, request.path)


@workspace_view()
def workspace_profile(request, access):
    def page(context, status):
        return render_ws(request, access, "core/profile.html", context, status=status)

    return _profile(request, page, request.path, access)
