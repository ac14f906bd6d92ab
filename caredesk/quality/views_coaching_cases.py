"""Opening a coaching case by hand: a small form (agent, title, comment) reached from an
activity of the journey or desk timeline (?activity=), the ticket dialog of any ticket
(?ticket=), an evaluation (?evaluation=) or the inbox's coaching view. The case itself is
written by quality.coaching_cases.coaching_case_create; it then opens in the ticket list."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from caredesk.care.models import Case
from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID
from caredesk.journey.models import Activity
from caredesk.quality.coaching_cases import coaching_case_agents, coaching_case_create
from caredesk.quality.models import Evaluation
from caredesk.quality.people import int_or_none
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view

FIELDS = ("agent", "title", "comment", "activity", "ticket", "evaluation")


def _source(access, values: dict) -> dict:
    """What the form was opened from, to show it and to propose its agent."""
    found: dict = {}
    if pk := int_or_none(values.get("activity")):
        found["activity"] = (
            Activity.objects.visible_to(access).filter(pk=pk).select_related("agent").first()
        )
    if pk := int_or_none(values.get("evaluation")):
        found["evaluation"] = (
            Evaluation.objects.visible_to(access)
            .filter(pk=pk)
            .select_related("scorecard", "agent")
            .first()
        )
    if number := int_or_none(str(values.get("ticket") or "").lstrip("#")):
        found["ticket"] = Case.objects.visible_to(access).filter(number=number).first()
    return found


def _proposed_agent(access, source: dict) -> str:
    evaluation, activity, ticket = (source.get(k) for k in ("evaluation", "activity", "ticket"))
    if evaluation is not None and evaluation.agent_id:
        return str(evaluation.agent_id)
    if activity is not None and activity.agent_id:
        return str(activity.agent_id)
    if ticket is not None:
        handled = ticket.activities.filter(agent__isnull=False).order_by("-occurred_at", "-id")
        agent_id = handled.values_list("agent_id", flat=True).first()
        if agent_id:
            return str(agent_id)
    return ""


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.EVALUATE)
def coaching_case_new(request, access):
    data = request.POST if request.method == "POST" else request.GET
    values = {k: data.get(k) or "" for k in FIELDS}
    values.update({k: values[k].strip() for k in FIELDS if k != "comment"})
    source = _source(access, values)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            case = coaching_case_create(
                access=access,
                agent_id=values["agent"],
                title=values["title"],
                comment=values["comment"],
                activity_id=values["activity"] or None,
                ticket_number=values["ticket"] or None,
                evaluation_id=values["evaluation"] or None,
            )
        except FieldErrors as e:
            errors = e.errors
        else:
            messages.success(
                request, _("Coaching case #%(number)s opened.") % {"number": case.number}
            )
            return redirect(
                reverse("ticket_list", args=[access.workspace.slug]) + f"?open={case.number}"
            )
    elif not values["agent"]:
        values["agent"] = _proposed_agent(access, source)
    context = {
        "values": values,
        "errors": errors,
        "agents": coaching_case_agents(access),
        **source,
    }
    return render_ws(
        request,
        access,
        "quality/coaching_case_new.html",
        context,
        active="tickets",
        status=INVALID if errors else 200,
    )
