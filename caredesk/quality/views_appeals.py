"""The appeals pages under /w/<workspace>/coaching/: the list with its counts, one appeal (with
the evaluation's answers), filing an appeal (the evaluated agent) and deciding one (the
reviewer); and Settings → Appeals. Thin: `caredesk.quality.appeals` checks and writes.

The appeal panel (`quality/_appeal_panel.html`, on the evaluation's page) is drawn from
`panel_context`: every appeal of the evaluation with its items, the appeal form for the agent
within the window and the decide form for whoever may decide."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caredesk.core import pagination
from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID
from caredesk.quality import appeals, forms, scoring
from caredesk.quality.models import AppealStatus, Evaluation
from caredesk.quality.selectors import answer_rows, evaluation_get
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import User
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.views import settings_sections
from caredesk.workspaces.web import render_ws, workspace_view

PAGE_SIZE = 50
SECTION = "appeals"


# --------------------------------------------------------------------------- the panel


def _commentless(evaluation: Evaluation) -> dict[int, scoring.Given]:
    """The evaluation's answers without the evaluator's comments and pins: the appeal form
    starts from them, and whatever the agent changes (an answer, a comment of theirs) is what
    they dispute."""
    return {
        a.criterion_id: scoring.Given(value=a.value, na=a.na)
        for a in evaluation.answers.all()
        if a.na or a.value is not None
    }


def _as_answers_errors(errors: dict[str, str]) -> dict[str, str]:
    return {
        ("answers" + k[len("items") :] if k.startswith("items.") else k): v
        for k, v in errors.items()
    }


def panel_context(
    access: Access,
    evaluation: Evaluation,
    *,
    appeal_post=None,
    appeal_errors: dict | None = None,
    decide_for: int | None = None,
    decide_post=None,
    decide_errors: dict | None = None,
) -> dict:
    """What `quality/_appeal_panel_body.html` shows for `evaluation`, for the caller."""
    rows = []
    for appeal in (
        evaluation.appeals.select_related("agent", "reviewer", "decided_by")
        .prefetch_related("items")
        .order_by("-created_at", "-id")
    ):
        appeal.evaluation = evaluation
        mine = decide_for == appeal.pk
        accepted = decide_post.getlist("accepted") if mine and decide_post is not None else []
        rows.append(
            {
                "appeal": appeal,
                "items": appeals.item_rows(appeal),
                "can_decide": appeals.can_decide(access, appeal),
                "errors": decide_errors if mine else {},
                "decision": decide_post.get("decision", "") if mine and decide_post else "",
                "comment": decide_post.get("comment", "") if mine and decide_post else "",
                "accepted": [str(a) for a in accepted],
            }
        )
    deadline = appeals.appeal_deadline(access.workspace, evaluation)
    may = appeals.may_appeal(access, evaluation)
    given = _commentless(evaluation)
    if appeal_post is not None:
        # The answers as the agent sent them, so nothing they wrote is lost.
        given = dict(given)
        for cid, raw in forms.answers_from_post(appeal_post, evaluation.version).items():
            value = raw["value"]
            given[int(cid)] = scoring.Given(
                value=value if isinstance(value, int) else None,
                na=raw["na"],
                comment=raw["comment"],
            )
    is_agent = access.user is not None and evaluation.agent_id == access.user.pk
    return {
        "evaluation": evaluation,
        "appeals": rows,
        "is_agent": is_agent,
        "may_appeal": may,
        "deadline": deadline,
        "window_open": may or (is_agent and not _past(deadline)),
        "appeal_days": access.workspace.appeal_days,
        "appeal_open": any(r["appeal"].status == AppealStatus.OPEN for r in rows),
        "form_sections": forms.form_sections(
            evaluation.version, given, _as_answers_errors(appeal_errors or {})
        )
        if may
        else [],
        # A decision refused as a whole (the appeal was decided meanwhile), shown on top.
        "decide_message": (decide_errors or {}).get("appeal", ""),
        # An appeal refused as a whole (too late, one already open), shown on top.
        "appeal_message": (appeal_errors or {}).get("evaluation", ""),
        "appeal_errors": appeal_errors or {},
        # Not `appeal_errors.items` in the template: that would be the dict's method.
        "items_error": (appeal_errors or {}).get("items", ""),
        "appeal_comment": appeal_post.get("comment", "") if appeal_post is not None else "",
        "appeal_open_form": appeal_errors is not None,
    }


def _past(deadline) -> bool:
    return timezone.now() > deadline


# --------------------------------------------------------------------------- pages


def _page(request, access: Access, evaluation: Evaluation, *, focus=None, status=200, **panel):
    context = {
        "evaluation": evaluation,
        "focus": focus,
        "sections": answer_rows(evaluation),
        "panel": panel_context(access, evaluation, **panel),
    }
    return render_ws(
        request, access, "quality/appeal_page.html", context, active="coaching", status=status
    )


@workspace_view()
def appeal_create(request, access, pk):
    """GET: the evaluation with its appeals and, for its agent, the appeal form. POST (the
    agent): file the appeal; errors re-render the page (400) with nothing written."""
    evaluation = evaluation_get(access, pk)
    if request.method != "POST":
        return _page(request, access, evaluation)
    items = forms.answers_from_post(
        request.POST, evaluation.version, only_changed_from=_commentless(evaluation)
    )
    try:
        appeal = appeals.appeal_create(
            access=access,
            evaluation=evaluation,
            comment=request.POST.get("comment", ""),
            items=items,
        )
    except FieldErrors as exc:
        return _page(
            request,
            access,
            evaluation,
            status=INVALID,
            appeal_post=request.POST,
            appeal_errors=exc.errors,
        )
    messages.success(request, _("Your appeal was sent."))
    return redirect("appeal_detail", access.workspace.slug, appeal.pk)


@workspace_view()
def appeal_detail(request, access, pk):
    appeal = appeals.appeal_get(access, pk)
    return _page(request, access, appeal.evaluation, focus=appeal)


@require_POST
@workspace_view()
def appeal_decide(request, access, pk):
    appeal = appeals.appeal_get(access, pk)
    try:
        appeals.appeal_decide(
            access=access,
            appeal=appeal,
            decision=request.POST.get("decision", ""),
            comment=request.POST.get("comment", ""),
            accepted_items=request.POST.getlist("accepted"),
        )
    except FieldErrors as exc:
        return _page(
            request,
            access,
            appeal.evaluation,
            focus=appeal,
            status=INVALID,
            decide_for=appeal.pk,
            decide_post=request.POST,
            decide_errors=exc.errors,
        )
    messages.success(request, _("The appeal was decided."))
    return redirect("appeal_detail", access.workspace.slug, appeal.pk)


def _list_url(slug: str, params: dict) -> str:
    kept = {k: v for k, v in params.items() if v not in ("", None, False)}
    base = reverse("appeal_list", args=[slug])
    return f"{base}?{urlencode(kept)}" if kept else base


@workspace_view()
def appeal_list(request, access):
    raw = {
        "status": request.GET.get("status", ""),
        "agent": request.GET.get("agent", ""),
        "reviewer": request.GET.get("reviewer", ""),
        "mine": "1" if request.GET.get("mine") == "1" else "",
    }
    try:
        listed = appeals.appeals_listed(
            access,
            status=raw["status"],
            agent=raw["agent"],
            reviewer=raw["reviewer"],
            mine=bool(raw["mine"]),
        )
        filter_errors = {}
    except FieldErrors as exc:
        filter_errors = exc.errors
        listed = None
    slug = access.workspace.slug
    page = None
    stat_links = []
    prev_url = next_url = ""
    if listed is not None:
        page = pagination.keyset_page(
            listed.rows,
            "created_at",
            after=request.GET.get("cursor", ""),
            before=request.GET.get("before", ""),
            size=PAGE_SIZE,
        )
        stat_links = [
            (value, label, listed.counts[value], _list_url(slug, {**raw, "status": value}))
            for value, label in AppealStatus.choices
        ]
        if page.next_cursor:
            next_url = _list_url(slug, {**raw, "cursor": page.next_cursor})
        if page.prev_cursor:
            prev_url = _list_url(slug, {**raw, "before": page.prev_cursor})
    people = _people(access)
    context = {
        "raw": raw,
        "filter_errors": filter_errors,
        "listed": listed,
        "page": page,
        "stat_links": stat_links,
        "total_link": _list_url(slug, {**raw, "status": ""}),
        "mine_link": _list_url(slug, {**raw, "mine": "1", "status": AppealStatus.OPEN}),
        "to_review": appeals.appeals_to_review_count(access),
        "prev_url": prev_url,
        "next_url": next_url,
        "agents": people["agents"],
        "reviewers": people["reviewers"],
        "is_reviewer": access.has(Perm.REVIEW_APPEALS),
    }
    return render_ws(
        request,
        access,
        "quality/appeal_list.html",
        context,
        active="coaching",
        status=INVALID if filter_errors else 200,
    )


def _people(access: Access) -> dict:
    """The agents and reviewers of the appeals the caller sees, for the filters."""
    visible = appeals.appeals_visible(access)
    agents = User.objects.filter(pk__in=visible.values("evaluation__agent_id")).order_by(
        "first_name", "last_name", "pk"
    )
    reviewers = User.objects.filter(pk__in=visible.values("reviewer_id")).order_by(
        "first_name", "last_name", "pk"
    )
    return {"agents": list(agents), "reviewers": list(reviewers)}


# --------------------------------------------------------------------------- settings


def _settings_page(request, access, *, values, errors=None, status=200):
    context = {
        "sections": settings_sections(access, SECTION),
        "values": values,
        "errors": errors or {},
        "holders": appeals.review_appeals_holders(access.workspace),
        "min_days": appeals.MIN_DAYS,
        "max_days": appeals.MAX_DAYS,
    }
    return render_ws(
        request,
        access,
        "quality/appeal_settings.html",
        context,
        active="settings",
        status=status,
    )


@workspace_view(Perm.MANAGE_SCORECARDS)
def appeal_settings(request, access):
    """Settings → Appeals (manage_scorecards, as the other quality settings): the window and
    the named arbitrator."""
    workspace = access.workspace
    if request.method != "POST":
        values = {
            "appeal_days": str(workspace.appeal_days),
            "arbitrator": str(workspace.appeal_arbitrator_id or ""),
        }
        return _settings_page(request, access, values=values)
    values = {
        "appeal_days": request.POST.get("appeal_days", "").strip(),
        "arbitrator": request.POST.get("arbitrator", "").strip(),
    }
    try:
        appeals.appeal_settings_set(
            access=access, appeal_days=values["appeal_days"], arbitrator_id=values["arbitrator"]
        )
    except FieldErrors as exc:
        return _settings_page(request, access, values=values, errors=exc.errors, status=INVALID)
    messages.success(request, _("Appeal settings saved."))
    return redirect("appeal_settings", workspace.slug)
