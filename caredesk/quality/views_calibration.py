"""The calibration pages of the Coaching tab: the sessions, starting one, and one session (the
blind scoring form, then the answers side by side). Rules: quality.calibration."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID
from caredesk.journey.models import Activity
from caredesk.quality import calibration as cal
from caredesk.quality import forms, selectors
from caredesk.quality.models import CalibrationStatus, Scorecard
from caredesk.quality.people import int_or_none
from caredesk.quality.services import parse_answers
from caredesk.workspaces.models import Tab
from caredesk.workspaces.web import render_ws, workspace_view


def _render(request, access, template, context, status=200):
    return render_ws(request, access, template, context, active=Tab.COACHING, status=status)


@require_GET
@workspace_view()
def calibration_list(request, access):
    cal.require_calibration(access)
    rows = cal.session_rows(access)
    return _render(
        request,
        access,
        "quality/calibrations.html",
        {
            "to_score": [r for r in rows if r.to_score],
            "open_rows": [r for r in rows if r.session.status == CalibrationStatus.OPEN],
            "closed_rows": [r for r in rows if r.session.status == CalibrationStatus.CLOSED],
            "can_start": access.has(cal.START),
        },
    )


def _new_context(access, values: dict, errors: dict) -> dict:
    activity = None
    pk = int_or_none(values.get("activity"))
    if pk is not None:
        activity = Activity.objects.visible_to(access).filter(pk=pk).first()
    if activity is not None:
        cards = selectors.scorecards_for(access, activity)
    else:
        cards = list(
            Scorecard.objects.visible_to(access).filter(active=True, current_version__isnull=False)
        )
    agent_id = activity.agent_id if activity is not None else None
    return {
        "values": values,
        "errors": errors,
        "activity": activity,
        "scorecards": cards,
        "evaluators": [u for u in cal.evaluators(access) if u.pk != agent_id],
    }


@require_http_methods(["GET", "POST"])
@workspace_view()
def calibration_new(request, access):
    access.require(cal.START)
    if request.method == "GET":
        values = {
            "activity": request.GET.get("activity", ""),
            "scorecard": request.GET.get("scorecard", ""),
            "title": "",
            "invitees": [],
        }
        return _render(
            request, access, "quality/calibration_new.html", _new_context(access, values, {})
        )
    values = {
        "activity": request.POST.get("activity", "").strip(),
        "scorecard": request.POST.get("scorecard", ""),
        "title": request.POST.get("title", ""),
        "invitees": request.POST.getlist("invitees"),
    }
    try:
        session = cal.calibration_start(
            access=access,
            activity_id=values["activity"],
            scorecard_id=values["scorecard"],
            invitee_ids=values["invitees"],
            title=values["title"],
        )
    except FieldErrors as e:
        return _render(
            request,
            access,
            "quality/calibration_new.html",
            _new_context(access, values, e.errors),
            status=INVALID,
        )
    messages.success(request, _("The calibration session is open."))
    return redirect("calibration_detail", access.workspace.slug, session.pk)


def _detail_context(access, session, *, given=None, errors=None) -> dict:
    own = cal.own_evaluation(access, session)
    sees = cal.sees_answers(access, session)
    may_score = cal.may_score(access, session)
    scoring_open = may_score and own is None and session.status == CalibrationStatus.OPEN
    lines = selectors.transcript(session.activity, session.case)
    return {
        "session": session,
        "own": own,
        "sees_answers": sees,
        "scoring_open": scoring_open,
        "submitted": cal.submitted_count(session),
        "invited": session.invitees.count(),
        "invitees": list(session.invitees.order_by("first_name", "last_name", "pk")),
        "is_starter": access.user is not None and session.started_by_id == access.user.pk,
        "lines": lines,
        "form_sections": (
            forms.form_sections(session.version, given, errors) if scoring_open else []
        ),
        "errors": errors or {},
        "result": cal.calibration_result(session) if sees else None,
        "alpha_good": cal.ALPHA_GOOD,
        "alpha_poor": cal.ALPHA_POOR,
    }


@require_GET
@workspace_view()
def calibration_detail(request, access, session_id):
    cal.require_calibration(access)
    session = cal.session_get(access, session_id)
    return _render(request, access, "quality/calibration.html", _detail_context(access, session))


@require_POST
@workspace_view()
def calibration_score(request, access, session_id):
    cal.require_calibration(access)
    session = cal.session_get(access, session_id)
    answers = forms.answers_from_post(request.POST, session.version)
    comment = request.POST.get("comment", "")
    try:
        cal.calibration_score(access=access, session=session, answers=answers, comment=comment)
    except FieldErrors as e:
        try:
            given = parse_answers(answers)
        except FieldErrors:
            given = {}
        context = _detail_context(access, session, given=given, errors=e.errors)
        context["comment"] = comment
        return _render(request, access, "quality/calibration.html", context, status=INVALID)
    messages.success(request, _("Your score is in. Here are everyone's answers so far."))
    return redirect("calibration_detail", access.workspace.slug, session.pk)


@require_POST
@workspace_view()
def calibration_close(request, access, session_id):
    cal.require_calibration(access)
    session = cal.session_get(access, session_id)
    cal.calibration_close(access=access, session=session)
    messages.success(request, _("The session is closed."))
    return redirect("calibration_detail", access.workspace.slug, session.pk)
