"""The Feedback tab: responses (inbox_access, the management-area rule of tickets), surveys
with their CSV import, and alert rules (manage_care)."""

import io
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caredesk.analysis.models import Topic
from caredesk.care.models import Priority, Status
from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID
from caredesk.core.i18n import LANGUAGE_CHOICES, supported
from caredesk.core.templatetags.fmt import day as format_day
from caredesk.feedback import describe, selectors, services
from caredesk.feedback.imports import import_responses
from caredesk.feedback.models import QuestionKind
from caredesk.feedback.rules import NPS_BANDS
from caredesk.feedback.schemas import SENTIMENT_LABELS
from caredesk.workspaces.models import Tab, User
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.selectors import segment_tree
from caredesk.workspaces.web import render_ws, workspace_view

FILTERS = ("survey", "date_from", "date_to", "segment", "band", "has_comment")
MAX_UPLOAD = 20 * 1024 * 1024
ROWS = 3  # condition rows shown in the rule form for scores, answers and transaction fields


def _segment_choices(access):
    return [
        (str(s.pk), "\u00a0\u00a0\u00a0" * s.depth + s.name)
        for s in segment_tree(access.workspace.organization_id)
    ]


def _flat(errors: dict) -> dict:
    return {k.replace(".", "_"): v for k, v in errors.items()}


def _render(request, access, template, context, status=200):
    return render_ws(request, access, template, context, active=Tab.FEEDBACK, status=status)


# --------------------------------------------------------------------------- responses


@require_GET
@workspace_view(Perm.INBOX_ACCESS)
def response_list(request, access):
    raw = {k: request.GET.get(k, "") for k in FILTERS}
    context = {
        "raw": raw,
        "surveys": list(selectors.surveys_for(access)),
        "segment_choices": _segment_choices(access),
        "bands": selectors.BAND_LABELS.items(),
        "filter_errors": {},
        "page": None,
    }
    try:
        filters = selectors.parse_response_filters(request.GET, access)
    except FieldErrors as e:
        context["filter_errors"] = e.errors
        return _render(request, access, "feedback/responses.html", context, status=INVALID)
    page = selectors.response_page(
        access, filters, after=request.GET.get("after", ""), before=request.GET.get("before", "")
    )
    base = {k: v for k, v in raw.items() if v}
    context.update(
        page=page,
        next_url=f"?{urlencode({**base, 'after': page.next_cursor})}" if page.next_cursor else "",
        prev_url=f"?{urlencode({**base, 'before': page.prev_cursor})}" if page.prev_cursor else "",
    )
    return _render(request, access, "feedback/responses.html", context)


@require_GET
@workspace_view(Perm.INBOX_ACCESS)
def response_detail(request, access, response_id):
    response = selectors.response_get(access, response_id)
    return _render(
        request,
        access,
        "feedback/response.html",
        {
            "r": response,
            "answers": selectors.response_answers(response),
            "cases": selectors.response_cases(access, response),
            "transaction": sorted((response.transaction or {}).items()),
            "band": describe.category_label(_band(response)) if _band(response) else "",
            "language_name": dict(LANGUAGE_CHOICES).get(
                supported(response.language) or "", response.language
            ),
        },
    )


def _band(response) -> str:
    if response.score is None:
        return ""
    if response.survey.kind == "nps":
        return next(b for b, (lo, hi) in NPS_BANDS.items() if lo <= response.score <= hi)
    return ""


# --------------------------------------------------------------------------- surveys


@require_GET
@workspace_view(Perm.MANAGE_CARE)
def survey_list(request, access):
    surveys = selectors.surveys_for(access)
    return _render(request, access, "feedback/surveys.html", {"surveys": surveys})


@require_GET
@workspace_view(Perm.MANAGE_CARE)
def survey_detail(request, access, survey_id):
    survey = selectors.survey_get(access, survey_id)
    return _render(request, access, "feedback/survey.html", _survey_context(request, survey))


def _survey_context(request, survey, **extra):
    return {
        "survey": survey,
        "questions": list(survey.questions.all()),
        "languages": [survey.default_language]
        + sorted(survey.translations.values_list("language", flat=True)),
        "public_url": request.build_absolute_uri(f"/s/{survey.token}/"),
        "multiple": QuestionKind.MULTIPLE,
        **extra,
    }


@require_POST
@workspace_view(Perm.MANAGE_CARE)
def survey_import(request, access, survey_id):
    survey = selectors.survey_get(access, survey_id)
    upload = request.FILES.get("file")
    error = ""
    if upload is None:
        error = _("Choose a CSV file.")
    elif upload.size > MAX_UPLOAD:
        error = _("The file is larger than 20 MB; use the caredesk import-responses command.")
    if not error:
        try:
            text = io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
            result = import_responses(survey=survey, lines=text)
        except FieldErrors as e:
            error = "; ".join(e.errors.values())
        except UnicodeDecodeError:
            error = _("The file is not UTF-8 text.")
    if error:
        context = _survey_context(request, survey, import_error=error)
        return _render(request, access, "feedback/survey.html", context, status=INVALID)
    context = _survey_context(request, survey, result=result, import_errors=result.errors[:100])
    return _render(request, access, "feedback/survey.html", context)


# --------------------------------------------------------------------------- rules


@require_GET
@workspace_view(Perm.MANAGE_CARE)
def rule_list(request, access):
    rules = list(selectors.rules_for(access))
    names = describe.names_for(rules)
    rows = [(rule, describe.describe(rule, names), describe.short_actions(rule)) for rule in rules]
    return _render(request, access, "feedback/rules.html", {"rows": rows})


@require_POST
@workspace_view(Perm.MANAGE_CARE)
def rule_toggle(request, access, rule_id):
    rule = selectors.rule_get(access, rule_id)
    services.rule_set_active(rule=rule, is_active=request.POST.get("is_active") == "1")
    if rule.is_active:
        messages.success(request, _("“%(name)s” is on.") % {"name": rule.name})
    else:
        messages.success(request, _("“%(name)s” is off.") % {"name": rule.name})
    return redirect("feedback_rules", access.workspace.slug)


@require_GET
@workspace_view(Perm.MANAGE_CARE)
def rule_detail(request, access, rule_id):
    rule = selectors.rule_get(access, rule_id)
    return _render(
        request,
        access,
        "feedback/rule.html",
        {
            "rule": rule,
            "text": describe.describe(rule),
            **selectors.rule_outputs(access, rule),
            "run_errors": {},
            "run": {},
        },
    )


@require_POST
@workspace_view(Perm.MANAGE_CARE)
def rule_run(request, access, rule_id):
    rule = selectors.rule_get(access, rule_id)
    run = {k: request.POST.get(k, "") for k in ("date_from", "date_to")}
    try:
        f = selectors.parse_response_filters(run, access)
        if not (f.date_from and f.date_to):
            raise FieldErrors(
                {k: _("Choose a date.") for k in ("date_from", "date_to") if not getattr(f, k)}
            )
        services.rule_run_past(rule=rule, date_from=f.date_from, date_to=f.date_to)
    except FieldErrors as e:
        context = {
            "rule": rule,
            "text": describe.describe(rule),
            **selectors.rule_outputs(access, rule),
            "run_errors": e.errors,
            "run": run,
        }
        return _render(request, access, "feedback/rule.html", context, status=INVALID)
    messages.success(
        request,
        _("Running “%(rule)s” on the responses of %(start)s to %(end)s.")
        % {"rule": rule.name, "start": format_day(f.date_from), "end": format_day(f.date_to)},
    )
    return redirect("feedback_rule", access.workspace.slug, rule.pk)


def _rule_from_post(post) -> tuple[dict, dict]:
    """(criteria, actions) from the rule form."""
    criteria: dict = {}
    scores = []
    for n in range(ROWS):
        kind = post.get(f"score_kind_{n}", "").strip()
        if kind:
            scores.append(
                {"kind": kind, "min": post.get(f"score_min_{n}"), "max": post.get(f"score_max_{n}")}
            )
    if scores:
        criteria["scores"] = scores
    if cats := post.getlist("nps_category"):
        criteria["nps_category"] = cats
    for key, name in (("answers", "question"), ("transaction", "field")):
        rows = []
        for n in range(ROWS):
            target = post.get(f"{key}_{name}_{n}", "").strip()
            if target:
                rows.append(
                    {
                        name: target,
                        "op": post.get(f"{key}_op_{n}", "equals"),
                        "value": post.get(f"{key}_value_{n}", ""),
                    }
                )
        if rows:
            criteria[key] = rows
    keywords = [w.strip() for w in post.get("keywords", "").splitlines() if w.strip()]
    if keywords:
        criteria["keywords"] = keywords
    if post.get("segment", "").strip():
        criteria["segment"] = post["segment"].strip()
    sentiment = {
        "labels": post.getlist("sentiment_labels"),
        "min": post.get("sentiment_min", "").strip() or None,
        "max": post.get("sentiment_max", "").strip() or None,
    }
    if any(sentiment.values()):
        criteria["sentiment"] = {k: v for k, v in sentiment.items() if v}
    if topics := post.getlist("topics"):
        criteria["topics"] = topics

    actions: dict = {}
    if post.get("create_case"):
        actions["create_case"] = {
            "priority": post.get("case_priority", ""),
            "status": post.get("case_status", ""),
            "segment": post.get("case_segment", "") or "response",
        }
    if to := post.get("assign_to", ""):
        actions["assign"] = {
            "to": to,
            "queue": post.get("assign_queue", ""),
            "user": post.get("assign_user", ""),
        }
    if users := post.getlist("notify_users"):
        actions["notify"] = {"users": users}
    if url := post.get("webhook_url", "").strip():
        actions["webhook"] = {"url": url}
    return criteria, actions


def _form_values(rule=None) -> dict:
    """The form's values: from a rule, or empty."""
    criteria = (rule.criteria if rule else {}) or {}
    actions = (rule.actions if rule else {}) or {}
    pad = lambda rows: (list(rows) + [{}] * ROWS)[:ROWS]  # noqa: E731
    case = actions.get("create_case") or {}
    assign = actions.get("assign") or {}
    return {
        "name": rule.name if rule else "",
        "survey": str(rule.survey_id or "") if rule else "",
        "is_active": rule.is_active if rule else True,
        "scores": pad(criteria.get("scores", [])),
        "nps_category": criteria.get("nps_category", []),
        "answers": pad(criteria.get("answers", [])),
        "transaction": pad(criteria.get("transaction", [])),
        "keywords": "\n".join(criteria.get("keywords", [])),
        "segment": str(criteria.get("segment", "")),
        "sentiment_labels": (criteria.get("sentiment") or {}).get("labels", []),
        "sentiment_min": _bound((criteria.get("sentiment") or {}).get("min")),
        "sentiment_max": _bound((criteria.get("sentiment") or {}).get("max")),
        "topics": [str(t) for t in criteria.get("topics", [])],
        "create_case": bool(case) if rule else True,
        "case_priority": case.get("priority", Priority.HIGH),
        "case_status": case.get("status", Status.NEW),
        "case_segment": ""
        if case.get("segment", "response") == "response"
        else str(case["segment"]),
        "assign_to": assign.get("to", ""),
        "assign_queue": assign.get("queue", ""),
        "assign_user": str(assign.get("user", "")),
        "notify_users": [str(u) for u in (actions.get("notify") or {}).get("users", [])],
        "webhook_url": (actions.get("webhook") or {}).get("url", ""),
    }


def _bound(value) -> str:
    return "" if value is None else f"{value:g}"


def _topic_choices(access) -> list[tuple[str, str]]:
    """The workspace's topics as (id, name) options, each below its parent, indented."""
    topics = list(
        Topic.objects.filter(workspace=access.workspace).values_list("pk", "parent_id", "name")
    )
    children: dict = {}
    for pk, parent, name in topics:
        children.setdefault(parent, []).append((name.casefold(), pk, name))
    out: list[tuple[str, str]] = []

    def walk(parent, depth):
        for _key, pk, name in sorted(children.get(parent, [])):
            out.append((str(pk), "\u00a0\u00a0\u00a0" * depth + name))
            if depth < 20:
                walk(pk, depth + 1)

    walk(None, 0)
    return out


def _post_values(post) -> dict:
    criteria, actions = _rule_from_post(post)
    rows = lambda key, name: [  # noqa: E731
        {
            name: post.get(f"{key}_{name}_{n}", ""),
            "op": post.get(f"{key}_op_{n}", "equals"),
            "value": post.get(f"{key}_value_{n}", ""),
        }
        for n in range(ROWS)
    ]
    return {
        "name": post.get("name", ""),
        "survey": post.get("survey", ""),
        "is_active": bool(post.get("is_active")),
        "scores": [
            {
                "kind": post.get(f"score_kind_{n}", ""),
                "min": post.get(f"score_min_{n}", ""),
                "max": post.get(f"score_max_{n}", ""),
            }
            for n in range(ROWS)
        ],
        "nps_category": post.getlist("nps_category"),
        "answers": rows("answers", "question"),
        "transaction": rows("transaction", "field"),
        "keywords": post.get("keywords", ""),
        "segment": post.get("segment", ""),
        "sentiment_labels": post.getlist("sentiment_labels"),
        "sentiment_min": post.get("sentiment_min", ""),
        "sentiment_max": post.get("sentiment_max", ""),
        "topics": post.getlist("topics"),
        "create_case": bool(post.get("create_case")),
        "case_priority": post.get("case_priority", ""),
        "case_status": post.get("case_status", ""),
        "case_segment": post.get("case_segment", ""),
        "assign_to": post.get("assign_to", ""),
        "assign_queue": post.get("assign_queue", ""),
        "assign_user": post.get("assign_user", ""),
        "notify_users": post.getlist("notify_users"),
        "webhook_url": post.get("webhook_url", ""),
    }, (criteria, actions)


def _rule_form(request, access, rule=None):
    if request.method == "POST":
        values, (criteria, actions) = _post_values(request.POST)
        try:
            if rule is None:
                rule = services.rule_create(
                    workspace=access.workspace,
                    name=values["name"],
                    survey_id=values["survey"],
                    criteria=criteria,
                    actions=actions,
                    is_active=values["is_active"],
                )
            else:
                services.rule_update(
                    rule=rule,
                    name=values["name"],
                    survey_id=values["survey"],
                    criteria=criteria,
                    actions=actions,
                )
                services.rule_set_active(rule=rule, is_active=values["is_active"])
        except FieldErrors as e:
            return _render_rule_form(request, access, rule, values, e.errors, status=INVALID)
        messages.success(request, _("Saved “%(name)s”.") % {"name": rule.name})
        return redirect("feedback_rule", access.workspace.slug, rule.pk)
    return _render_rule_form(request, access, rule, _form_values(rule), {})


def _field_label(key: str) -> str:
    """The form's name for the part of a rule an error is about ("actions.assign.queue" →
    "Assign to"), the longest known prefix winning."""
    labels = {
        "name": _("Name"),
        "survey": _("Survey"),
        "criteria": _("When all of these match"),
        "criteria.scores": _("Score ranges"),
        "criteria.nps_category": _("NPS category"),
        "criteria.answers": _("Answers"),
        "criteria.keywords": _("Keywords"),
        "criteria.segment": _("Segment (and below)"),
        "criteria.transaction": _("Transaction fields"),
        "criteria.sentiment": _("Sentiment of the customer comment"),
        "criteria.topics": _("Topics of the customer comment"),
        "actions": _("Then"),
        "actions.create_case": _("Create a ticket"),
        "actions.create_case.priority": _("Priority"),
        "actions.create_case.status": _("Status"),
        "actions.create_case.segment": _("Segment"),
        "actions.assign": _("Assign to"),
        "actions.notify": _("Notify by email"),
        "actions.webhook": _("Call a webhook (POST JSON, signed)"),
    }
    parts = key.split(".")
    for n in range(len(parts), 0, -1):
        if (prefix := ".".join(parts[:n])) in labels:
            return labels[prefix]
    return key


def _render_rule_form(request, access, rule, values, errors, status=200):
    users = User.objects.filter(
        organization_id=access.workspace.organization_id, is_active=True
    ).order_by("username")
    context = {
        "rule": rule,
        "v": values,
        "errors": _flat(errors),
        "error_list": [(key, _field_label(key), message) for key, message in errors.items()],
        "surveys": list(selectors.surveys_for(access)),
        "segment_choices": _segment_choices(access),
        "users": [(str(u.pk), f"{u} ({u.username})") for u in users],
        "priorities": Priority.choices,
        "statuses": Status.choices,
        "nps_categories": [(c, describe.category_label(c)) for c in NPS_BANDS],
        "sentiment_labels": [(x, describe.sentiment_label(x)) for x in SENTIMENT_LABELS],
        "topic_choices": _topic_choices(access),
        "action_url": reverse("feedback_rule_edit", args=[access.workspace.slug, rule.pk])
        if rule and rule.pk
        else reverse("feedback_rule_new", args=[access.workspace.slug]),
    }
    return _render(request, access, "feedback/rule_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.MANAGE_CARE)
def rule_new(request, access):
    return _rule_form(request, access)


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.MANAGE_CARE)
def rule_edit(request, access, rule_id):
    return _rule_form(request, access, selectors.rule_get(access, rule_id))
