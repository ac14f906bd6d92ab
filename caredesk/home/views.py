import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caredesk.care.filters import parse_case_filters
from caredesk.care.models import Status
from caredesk.care.selectors import case_summary, cases_visible
from caredesk.coaching.models import CoachingSession, SessionStatus
from caredesk.core.errors import FieldErrors, show_errors
from caredesk.core.htmx import INVALID
from caredesk.core.i18n import LANGUAGE_CHOICES, time_zone_choices
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
    open_statuses = [Status.NEW, Status.OPEN, Status.ESCALATED]
    context = {
        "today": timezone.localdate(),
        # Everyone's own open tickets (an agent without the inbox owns those they add from
        # the desk), each opening its ticket dialog.
        "my_cases": list(
            cases_visible(access)
            .filter(owner=access.user, status__in=open_statuses)
            .select_related("segment", "about_agent")
            .order_by("-reported_at")[:10]
        ),
        # Evaluations to do, appeals, coaching cases and sessions; an agent's own evaluations.
        "quality": {**quality_home(access), "sessions_due": sessions_due(access).count()},
    }
    if access.has(Perm.INBOX_ACCESS):
        filters = parse_case_filters({}, organization_id=access.workspace.organization_id)
        context.update(
            summary=case_summary(access, filters),
            unassigned=cases_visible(access)
            .filter(owner__isnull=True, status__in=open_statuses)
            .count(),
            filters=filters,
        )
    return render_ws(request, access, "core/workspace_home.html", context, active="home")


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


def _profile(request, render_page, again: str):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                workspaces.user_update_profile(user=user, **form.cleaned_data)
            except FieldErrors as exc:
                show_errors(form, exc)
            else:
                messages.success(request, _("Profile saved."))
                return redirect(again)
        return render_page({"form": form}, INVALID)
    form = ProfileForm(
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "time_zone": user.time_zone,
        }
    )
    return render_page({"form": form}, 200)


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

    return _profile(request, page, request.path)
