"""Settings → Scorecards (manage_scorecards): the list, the builder (new and edit), the
preview (the scorecard as an evaluator sees it, scored without saving), the versions with who
changed what, switching on or off, and rescoring past evaluations with its progress.

Writes go through `quality.scorecards` and `quality.rescoring`; a POST that fails changes
nothing and re-renders with each error beside its field (status 400)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID
from caredesk.journey.models import MediaType
from caredesk.quality import rescoring, scorecard_builder, scorecard_selectors, scoring
from caredesk.quality.forms import answers_from_post, form_sections
from caredesk.quality.models import Scale
from caredesk.quality.prefill import check_choices
from caredesk.quality.scorecards import TICKET, scorecard_create, scorecard_update
from caredesk.quality.services import parse_answers
from caredesk.routing.models import Queue
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.views import settings_sections
from caredesk.workspaces.web import render_ws, workspace_view

PERM = Perm.MANAGE_SCORECARDS


def _render(request, access, template, context, status=200):
    context = {"sections": settings_sections(access, "scorecards"), **context}
    return render_ws(request, access, template, context, active="settings", status=status)


def _kind_labels() -> dict[str, str]:
    labels = {value: str(label) for value, label in MediaType.choices}
    labels[TICKET] = _("Ticket")
    return labels


def _applies_to(version) -> str:
    labels = _kind_labels()
    kinds = ", ".join(labels.get(m, m) for m in version.media_types) or _("Any kind")
    queues = ", ".join(version.queue_names) or _("any queue")
    return f"{kinds} · {queues}"


@require_GET
@workspace_view(PERM)
def scorecard_list(request, access):
    edits = scorecard_selectors.last_edits(access)
    rows = [
        {
            "card": c,
            "version": c.current_version,
            "applies_to": _applies_to(c.current_version),
            "last_edit": edits.get(c.pk) or c.updated_at,
        }
        for c in scorecard_selectors.scorecard_list(access)
        if c.current_version is not None
    ]
    return _render(request, access, "quality/settings_scorecards.html", {"rows": rows})


# --------------------------------------------------------------------------- the builder


def _targets_from_post(post) -> tuple[list[str], list[str], object]:
    raw = (post.get("pass_mark") or "").strip()
    try:
        pass_mark = int(raw)
    except ValueError:
        pass_mark = raw
    return post.getlist("media_types"), post.getlist("queue_names"), pass_mark


def _builder(request, access, *, card, values, errors=None, status=200):
    errors = errors or {}
    queue_names = list(
        Queue.objects.filter(workspace=access.workspace).values_list("name", flat=True)
    )
    queue_names += [n for n in values["queue_names"] if n not in queue_names]
    context = {
        "card": card,
        "v": values,
        "errors": errors,
        "builder": scorecard_builder.layout(values["sections"], errors),
        "scales": Scale.choices,
        "auto_checks": check_choices(),
        "kinds": list(_kind_labels().items()),
        "queue_choices": queue_names,
    }
    if card is not None:
        context.update(_card_context(card))
    return _render(request, access, "quality/settings_scorecard_form.html", context, status)


def _card_context(card) -> dict:
    return {
        "versions": scorecard_selectors.versions_of(card),
        "on_older": scorecard_selectors.on_older_versions(card),
        "jobs": scorecard_selectors.rescore_jobs(card),
    }


def _posted_values(post) -> dict:
    media_types, queue_names, pass_mark = _targets_from_post(post)
    return {
        "name": post.get("name") or "",
        "pass_mark": pass_mark,
        "media_types": media_types,
        "queue_names": queue_names,
        "sections": scorecard_builder.sections_from_post(post),
    }


@require_http_methods(["GET", "POST"])
@workspace_view(PERM)
def scorecard_new(request, access):
    if request.method == "GET":
        values = {
            "name": "",
            "pass_mark": 80,
            "media_types": [],
            "queue_names": [],
            "sections": scorecard_builder.blank_sections(),
        }
        return _builder(request, access, card=None, values=values)
    values = _posted_values(request.POST)
    op = request.POST.get("op") or ""
    if op:
        values["sections"] = scorecard_builder.apply_op(values["sections"], op)
        return _builder(request, access, card=None, values=values)
    try:
        card = scorecard_create(access=access, **values)
    except FieldErrors as exc:
        return _builder(
            request, access, card=None, values=values, errors=exc.errors, status=INVALID
        )
    messages.success(request, _("Scorecard created."))
    return redirect("scorecard_edit", access.workspace.slug, card.pk)


@require_http_methods(["GET", "POST"])
@workspace_view(PERM)
def scorecard_edit(request, access, scorecard_id: int):
    card = scorecard_selectors.scorecard_get(access, scorecard_id)
    if request.method == "GET":
        v = card.current_version
        values = {
            "name": card.name,
            "pass_mark": v.pass_mark,
            "media_types": list(v.media_types),
            "queue_names": list(v.queue_names),
            "sections": v.sections,
        }
        return _builder(request, access, card=card, values=values)
    values = _posted_values(request.POST)
    op = request.POST.get("op") or ""
    if op:
        values["sections"] = scorecard_builder.apply_op(values["sections"], op)
        return _builder(request, access, card=card, values=values)
    before = card.current_version.number
    try:
        card, made = scorecard_update(access=access, scorecard=card, **values)
    except FieldErrors as exc:
        return _builder(
            request, access, card=card, values=values, errors=exc.errors, status=INVALID
        )
    if made:
        messages.success(
            request,
            _(
                "Saved as version %(new)s. Past evaluations keep version %(old)s; "
                "rescore them below if they should count with the new rules."
            )
            % {"new": card.current_version.number, "old": before},
        )
    else:
        messages.success(request, _("Scorecard saved."))
    return redirect("scorecard_edit", access.workspace.slug, card.pk)


@require_POST
@workspace_view(PERM)
def scorecard_switch(request, access, scorecard_id: int):
    card = scorecard_selectors.scorecard_get(access, scorecard_id)
    active = request.POST.get("active") == "1"
    scorecard_update(access=access, scorecard=card, active=active)
    messages.success(
        request,
        _("Scorecard switched on.")
        if active
        else _("Scorecard switched off: evaluators are no longer offered it."),
    )
    return redirect("scorecard_edit", access.workspace.slug, card.pk)


# --------------------------------------------------------------------------- preview


@require_http_methods(["GET", "POST"])
@workspace_view(PERM)
def scorecard_preview(request, access, scorecard_id: int):
    """The current version as an evaluator sees it; POSTed answers are scored, never saved."""
    card = scorecard_selectors.scorecard_get(access, scorecard_id)
    version = card.current_version
    given, errors, result, status = {}, {}, None, 200
    if request.method == "POST":
        raw = answers_from_post(request.POST, version)
        try:
            given = parse_answers(raw)
            result = scoring.score(scoring.criteria_of(version.sections), given, version.pass_mark)
        except FieldErrors as exc:
            errors, status = exc.errors, INVALID
    context = {
        "card": card,
        "version": version,
        "form_sections": form_sections(version, given, errors),
        "result": result,
        "errors": errors,
    }
    return _render(request, access, "quality/settings_scorecard_preview.html", context, status)


# --------------------------------------------------------------------------- versions


@require_GET
@workspace_view(PERM)
def scorecard_versions(request, access, scorecard_id: int):
    card = scorecard_selectors.scorecard_get(access, scorecard_id)
    context = {
        "card": card,
        "versions": scorecard_selectors.versions_of(card),
        "history": scorecard_selectors.history(card),
    }
    return _render(request, access, "quality/settings_scorecard_versions.html", context)


@require_GET
@workspace_view(PERM)
def scorecard_version(request, access, scorecard_id: int, number: int):
    card = scorecard_selectors.scorecard_get(access, scorecard_id)
    version = scorecard_selectors.version_get(card, number)
    context = {
        "card": card,
        "version": version,
        "applies_to": _applies_to(version),
        "form_sections": form_sections(version),
        "readonly": True,
    }
    return _render(request, access, "quality/settings_scorecard_version.html", context)


# --------------------------------------------------------------------------- rescoring


@require_POST
@workspace_view(PERM)
def scorecard_rescore(request, access, scorecard_id: int):
    card = scorecard_selectors.scorecard_get(access, scorecard_id)
    try:
        rescoring.rescore_start(access=access, scorecard=card)
    except FieldErrors as exc:
        messages.error(request, exc.errors.get("scorecard") or _("Nothing was started."))
    else:
        messages.success(request, _("Rescoring started."))
    return redirect("scorecard_edit", access.workspace.slug, card.pk)


@require_GET
@workspace_view(PERM)
def scorecard_rescore_job(request, access, scorecard_id: int, job_id: int):
    """The job's progress, as a fragment the edit page polls (htmx) while it runs."""
    card = scorecard_selectors.scorecard_get(access, scorecard_id)
    job = scorecard_selectors.rescore_job_get(card, job_id)
    return render_ws(request, access, "quality/_rescore_job.html", {"job": job, "card": card})
