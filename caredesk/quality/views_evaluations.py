"""The evaluation pages under the Coaching tab: evaluate a piece of work (its transcript beside
the scorecard, with a live score from the server), one evaluation (answers, pins on the
transcript, its log, acknowledge / edit / change agent), and the list (an agent's own, or what
a coach or manager sees).

Thin: reads go through quality.selectors and quality.evaluations, writes through
quality.services; the score is computed by quality.scoring only."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caredesk.care.models import Case
from caredesk.core import htmx
from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID
from caredesk.journey.models import Activity
from caredesk.quality import evaluations, prefill, scoring, selectors, services
from caredesk.quality.forms import answers_from_post, form_sections
from caredesk.quality.models import Evaluation, ScorecardVersion
from caredesk.quality.people import int_or_none
from caredesk.workspaces.models import User
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view

TAB = "coaching"


# --------------------------------------------------------------------------- helpers


def _members(access) -> list[User]:
    return list(
        User.objects.filter(
            memberships__workspace=access.workspace,
            is_active=True,
            organization_id=access.workspace.organization_id,
        )
        .order_by("first_name", "last_name", "username", "pk")
        .distinct()
    )


def _given_from_answers(answers: dict) -> dict[int, scoring.Given]:
    """Posted answers (answers_from_post) as form values, kept as typed even when they are
    not on the scale, so a refused form shows exactly what was sent."""
    out = {}
    for key, a in answers.items():
        cid = int_or_none(key)
        if cid is not None:
            out[cid] = scoring.Given(
                value=a.get("value"),
                na=bool(a.get("na")),
                comment=a.get("comment", ""),
                message_ref=a.get("message_ref", ""),
            )
    return out


def _target(access, params) -> tuple[Activity | None, Case | None]:
    """The activity or ticket named by `activity` / `case`; 404 if the caller does not see it."""
    activity_id, case_id = int_or_none(params.get("activity")), int_or_none(params.get("case"))
    if activity_id is not None:
        activity = (
            Activity.objects.visible_to(access)
            .select_related("agent", "case", "contact")
            .filter(pk=activity_id)
            .first()
        )
        if activity is None:
            raise Http404("No such activity")
        return activity, None
    if case_id is not None:
        case = Case.objects.visible_to(access).select_related("owner").filter(pk=case_id).first()
        if case is None:
            raise Http404("No such ticket")
        return None, case
    raise Http404("Nothing to evaluate")


def _error_summary(errors: dict[str, str]) -> dict[str, str]:
    """The errors not shown beside a criterion or a field of the page."""
    shown = {"agent", "comment", "reason", "scorecard"}
    return {k: v for k, v in errors.items() if not k.startswith("answers.") and k not in shown}


def _detail_url(access, evaluation) -> str:
    return reverse("evaluation_detail", args=[access.workspace.slug, evaluation.pk])


# --------------------------------------------------------------------------- evaluate


def _evaluate_context(access, activity, case, card_id, *, given=None, errors=None, values=None):
    cards = selectors.scorecards_for(access, activity, case)
    card = next((c for c in cards if str(c.pk) == str(card_id or "")), None)
    if card is None and cards:
        card = cards[0]
    default_agent = activity.agent_id if activity is not None else case.owner_id
    values = values or {"agent": str(default_agent or ""), "comment": ""}
    existing = None
    if card is not None and access.user is not None:
        existing = (
            Evaluation.objects.filter(
                workspace=access.workspace,
                scorecard=card,
                evaluator=access.user,
                activity=activity,
                case=case,
                kind="regular",
            )
            .only("id")
            .first()
        )
    lines = selectors.transcript(activity, case)
    return {
        "activity": activity,
        "case": case,
        "cards": cards,
        "card": card,
        "version": card.current_version if card else None,
        "form_sections": form_sections(
            card.current_version,
            given,
            errors,
            # Offered on opening the page; what the evaluator posted wins after that.
            prefills=prefill.prefills(card.current_version, activity) if given is None else None,
        )
        if card
        else [],
        "lines": lines,
        "members": _members(access),
        "values": values,
        "errors": errors or {},
        "other_errors": _error_summary(errors or {}),
        "existing": existing,
        "target_param": f"activity={activity.pk}" if activity is not None else f"case={case.pk}",
    }


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.EVALUATE)
def evaluate(request, access):
    params = request.POST if request.method == "POST" else request.GET
    activity, case = _target(access, params)
    if request.method == "GET":
        context = _evaluate_context(access, activity, case, request.GET.get("scorecard"))
        return render_ws(request, access, "quality/evaluate.html", context, active=TAB)

    card_id = request.POST.get("scorecard", "")
    cards = {str(c.pk): c for c in selectors.scorecards_for(access, activity, case)}
    card = cards.get(card_id)
    values = {k: request.POST.get(k, "") for k in ("agent", "comment")}
    answers = answers_from_post(request.POST, card.current_version) if card else {}
    try:
        result = services.evaluation_create(
            access=access,
            scorecard_id=card_id,
            answers=answers,
            activity_id=activity.pk if activity is not None else None,
            case_id=case.pk if case is not None else None,
            agent_id=values["agent"],
            comment=values["comment"],
        )
    except FieldErrors as e:
        context = _evaluate_context(
            access,
            activity,
            case,
            card_id,
            given=_given_from_answers(answers),
            errors=e.errors,
            values=values,
        )
        return render_ws(
            request, access, "quality/evaluate.html", context, active=TAB, status=INVALID
        )
    evaluation = result.evaluation
    if result.created:
        messages.success(
            request,
            _("Evaluation saved: %(score)s.") % {"score": f"{evaluation.score:g}"}
            if evaluation.passed
            else _("Evaluation saved: %(score)s, failed.") % {"score": f"{evaluation.score:g}"},
        )
    else:
        messages.info(
            request,
            _(
                "You had already evaluated this work with this scorecard: here it is. Edit it to "
                "change the result."
            ),
        )
    return htmx.redirect(request, _detail_url(access, evaluation))


@require_POST
@workspace_view(Perm.USE_CARE)
def evaluate_preview(request, access):
    """The score the answers on the form would give, computed by the server (quality.scoring):
    over the criteria answered so far until every one is."""
    if not (access.has(Perm.EVALUATE) or access.has(Perm.REVIEW_APPEALS)):
        access.require(Perm.EVALUATE)
    version = (
        ScorecardVersion.objects.filter(
            scorecard__workspace=access.workspace, pk=int_or_none(request.POST.get("version"))
        ).first()
        if int_or_none(request.POST.get("version"))
        else None
    )
    if version is None:
        raise Http404("No such scorecard version")
    criteria = scoring.criteria_of(version.sections)
    given = services.parse_answers(answers_from_post(request.POST, version))
    regular = [c for c in criteria if not c.bonus]
    answered = [c for c in criteria if c.id in given]
    missing = sum(1 for c in regular if c.id not in given)
    context = {"missing": missing, "total": len(regular), "result": None, "invalid": False}
    try:
        context["result"] = scoring.score(answered, given, version.pass_mark) if answered else None
    except FieldErrors:
        context["invalid"] = True
    context["pass_mark"] = version.pass_mark
    return render_ws(request, access, "quality/_score_preview.html", context)


# --------------------------------------------------------------------------- one evaluation


def _detail_context(access, evaluation, **extra) -> dict:
    sections = selectors.answer_rows(evaluation)
    failing = [
        row.criterion.question
        for _title, rows in sections
        for row in rows
        if row.criterion.auto_fail and row.failed
    ]
    coaching_case = None
    if evaluation.coaching_case_id:
        coaching_case = (
            Case.objects.visible_to(access).filter(pk=evaluation.coaching_case_id).first()
        )
    can_edit = services.can_edit(access, evaluation)
    context = {
        "evaluation": evaluation,
        "sections": sections,
        "auto_fail_criteria": failing,
        "lines": evaluations.pinned_lines(
            selectors.transcript(evaluation.activity, evaluation.case), sections
        ),
        "log": evaluations.evaluation_log(evaluation),
        "coaching_case": coaching_case,
        "can_edit": can_edit,
        "can_acknowledge": access.user is not None
        and evaluation.agent_id == access.user.pk
        and evaluation.kind == "regular",
        "members": _members(access) if can_edit else [],
        "agent_values": {"agent": str(evaluation.agent_id or ""), "reason": ""},
        "agent_errors": {},
        "is_calibration": evaluation.kind != "regular",
    }
    context.update(extra)
    return context


@require_GET
@workspace_view(Perm.USE_CARE)
def evaluation_detail(request, access, pk):
    evaluation = selectors.evaluation_get(access, pk)
    return render_ws(
        request,
        access,
        "quality/evaluation_detail.html",
        _detail_context(access, evaluation),
        active=TAB,
    )


@require_POST
@workspace_view(Perm.USE_CARE)
def evaluation_acknowledge(request, access, pk):
    evaluation = selectors.evaluation_get(access, pk)
    services.evaluation_acknowledge(access=access, evaluation=evaluation)
    messages.success(request, _("Evaluation acknowledged."))
    return htmx.redirect(request, _detail_url(access, evaluation))


@require_POST
@workspace_view(Perm.USE_CARE)
def evaluation_set_agent(request, access, pk):
    evaluation = selectors.evaluation_get(access, pk)
    values = {k: request.POST.get(k, "") for k in ("agent", "reason")}
    try:
        services.evaluation_set_agent(
            access=access, evaluation=evaluation, agent_id=values["agent"], reason=values["reason"]
        )
    except FieldErrors as e:
        evaluation = selectors.evaluation_get(access, pk)
        context = _detail_context(access, evaluation, agent_values=values, agent_errors=e.errors)
        return render_ws(
            request,
            access,
            "quality/evaluation_detail.html",
            context,
            active=TAB,
            status=INVALID,
        )
    messages.success(request, _("Agent changed."))
    # The caller may no longer see it (the new agent is outside their area).
    if not Evaluation.objects.visible_to(access).filter(pk=evaluation.pk).exists():
        return htmx.redirect(request, reverse("evaluation_list", args=[access.workspace.slug]))
    return htmx.redirect(request, _detail_url(access, evaluation))


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.USE_CARE)
def evaluation_edit(request, access, pk):
    evaluation = selectors.evaluation_get(access, pk)
    if not services.can_edit(access, evaluation):
        raise PermissionDenied(_("Only its evaluator or an appeals reviewer may edit it."))
    stored = services.given_of(evaluation)
    context = {
        "evaluation": evaluation,
        "version": evaluation.version,
        "lines": selectors.transcript(evaluation.activity, evaluation.case),
        "values": {"comment": evaluation.comment, "reason": ""},
        "errors": {},
    }
    status = 200
    given = stored
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("comment", "reason")}
        posted_all = answers_from_post(request.POST, evaluation.version)
        changed = answers_from_post(request.POST, evaluation.version, only_changed_from=stored)
        comment = values["comment"] if values["comment"].strip() != evaluation.comment else None
        try:
            services.evaluation_edit(
                access=access,
                evaluation=evaluation,
                answers=changed,
                reason=values["reason"],
                comment=comment,
            )
        except FieldErrors as e:
            context.update(values=values, errors=e.errors)
            given = {**stored, **_given_from_answers(posted_all)}
            status = INVALID
        else:
            messages.success(request, _("Result changed; the change is in the log."))
            return htmx.redirect(request, _detail_url(access, evaluation))
    context["form_sections"] = form_sections(evaluation.version, given, context["errors"])
    context["other_errors"] = _error_summary(context["errors"])
    return render_ws(
        request, access, "quality/evaluation_edit.html", context, active=TAB, status=status
    )


# --------------------------------------------------------------------------- the list


def _list_url(access, params: dict) -> str:
    url = reverse("evaluation_list", args=[access.workspace.slug])
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


@require_GET
@workspace_view(Perm.USE_CARE)
def evaluation_list(request, access):
    raw = {
        k: request.GET.get(k, "")
        for k in ("agent", "scorecard", "date_from", "date_to", "passed", "acknowledged")
    }
    mine_only = not (access.has(Perm.EVALUATE) or access.has(Perm.REVIEW_APPEALS))
    context = {
        "raw": raw,
        "filter_errors": {},
        "mine_only": mine_only,
        "unread": evaluations.unread_for_agent(access),
        **evaluations.filter_choices(access),
    }
    try:
        filters = evaluations.parse_filters(request.GET)
    except FieldErrors as e:
        context.update(filter_errors=e.errors, page=None, counts=None)
        return render_ws(
            request, access, "quality/evaluation_list.html", context, active=TAB, status=INVALID
        )
    page = evaluations.evaluation_page(
        access, filters, after=request.GET.get("after", ""), before=request.GET.get("before", "")
    )
    params = filters.as_params()
    context.update(
        page=page,
        counts=evaluations.evaluation_counts(access, filters),
        older_link=_list_url(access, {**params, "after": page.next_cursor})
        if page.next_cursor
        else "",
        newer_link=_list_url(access, {**params, "before": page.prev_cursor})
        if page.prev_cursor
        else "",
        passed_link=_list_url(access, {**params, "passed": "yes"}),
        failed_link=_list_url(access, {**params, "passed": "no"}),
        unread_link=_list_url(access, {**params, "acknowledged": "no"}),
        all_link=_list_url(access, {k: v for k, v in params.items() if k != "passed"}),
    )
    return render_ws(request, access, "quality/evaluation_list.html", context, active=TAB)
