from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from caredesk.care.filters import parse_case_filters
from caredesk.care.models import Status
from caredesk.care.selectors import case_summary, cases_visible
from caredesk.workspaces.access import workspaces_for_user
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view


@login_required
def index(request):
    workspaces = workspaces_for_user(request.user)
    if len(workspaces) == 1:
        return redirect("workspace_home", workspace=workspaces[0].slug)
    return render(request, "core/index.html", {"workspaces": workspaces})


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
            .select_related("segment")
            .order_by("-reported_at")[:10]
        ),
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


def forbidden(request, exception=None):
    return render(request, "403.html", {"message": str(exception or "")}, status=403)
