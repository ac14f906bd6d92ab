"""Settings → Surveys (manage_care): list, create and change surveys through the same services
as the API (caredesk.feedback.services). A survey's questions are rows of the form (a few
empty ones for new questions); its texts in the other languages of caredesk are fields of
their own, per language."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID
from caredesk.core.i18n import LANGUAGE_CHOICES, LANGUAGE_CODES, supported
from caredesk.feedback import selectors, services
from caredesk.feedback.models import QuestionKind, Survey, SurveyKind
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.selectors import segment_tree
from caredesk.workspaces.views import settings_sections
from caredesk.workspaces.web import render_ws, workspace_view

EMPTY_ROWS = 2  # rows for new questions under the survey's own
CHOICES = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


def _render(request, access, template, context, status=200):
    context = {
        "sections": settings_sections(access, "surveys"),
        **context,
    }
    return render_ws(request, access, template, context, active="settings", status=status)


@require_GET
@workspace_view(Perm.MANAGE_CARE)
def survey_list(request, access):
    surveys = selectors.surveys_for(access).prefetch_related("translations", "questions")
    rows = [
        {
            "survey": s,
            "languages": _language_names(
                [s.default_language, *(t.language for t in s.translations.all())]
            ),
            "questions": len(s.questions.all()),
        }
        for s in surveys
    ]
    return _render(request, access, "feedback/settings_surveys.html", {"rows": rows})


def _language_names(codes) -> str:
    names = dict(LANGUAGE_CHOICES)
    return ", ".join(names.get(supported(c) or "", c) for c in codes)


# --------------------------------------------------------------------------- the form


def _options_text(options: list[dict]) -> str:
    return "\n".join(
        o["value"] if o["label"] == o["value"] else f"{o['value']} = {o['label']}" for o in options
    )


def _options_from(text: str) -> list[dict]:
    """One option a line: "value = Label", or just "Label" (then also its value)."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        value, sep, label = line.partition("=")
        value = value.strip()
        out.append({"value": value, "label": label.strip() if sep else value})
    return out


def _other_languages(default: str) -> list[tuple[str, str]]:
    return [(code, name) for code, name in LANGUAGE_CHOICES if code != default]


def _values_from_survey(survey: Survey | None) -> dict:
    if survey is None:
        return {
            "kind": SurveyKind.NPS,
            "name": "",
            "intro": "",
            "thank_you": "",
            "default_language": "en",
            "is_active": True,
            "send_on_case_resolve": False,
            "segment": "",
            "questions": [],
            "translations": {},
        }
    questions = list(survey.questions.all())
    translations = {}
    for t in survey.translations.all():
        code = supported(t.language)
        if code is None:
            continue
        labels = t.labels or {}
        translations[code] = {
            "title": t.title,
            "intro": t.intro,
            "thank_you": t.thank_you,
            # By form row, as the form sends them.
            "labels": {str(n): labels.get(q.key, "") for n, q in enumerate(questions)},
            "options": {
                str(n): "\n".join(labels.get(f"{q.key}.{o['value']}", "") for o in q.options)
                for n, q in enumerate(questions)
            },
        }
    return {
        "kind": survey.kind,
        "name": survey.name,
        "intro": survey.intro,
        "thank_you": survey.thank_you,
        "default_language": supported(survey.default_language) or survey.default_language,
        "is_active": survey.is_active,
        "send_on_case_resolve": survey.send_on_case_resolve,
        "segment": str(getattr(survey, "segment_id", None) or ""),
        "questions": [
            {
                "key": q.key,
                "kind": q.kind,
                "label": q.label,
                "required": q.required,
                "scale_min": str(q.scale_min),
                "scale_max": str(q.scale_max),
                "options": _options_text(q.options),
            }
            for q in questions
        ],
        "translations": translations,
    }


def _values_from_post(post, rows: int) -> dict:
    questions = []
    for n in range(rows):
        p = f"q{n}_"
        questions.append(
            {
                "key": post.get(p + "key", "").strip(),
                "kind": post.get(p + "kind", ""),
                "label": post.get(p + "label", "").strip(),
                "required": bool(post.get(p + "required")),
                "scale_min": post.get(p + "scale_min", "1").strip(),
                "scale_max": post.get(p + "scale_max", "5").strip(),
                "options": post.get(p + "options", ""),
            }
        )
    translations = {}
    for code in LANGUAGE_CODES:
        p = f"t_{code}_"
        translations[code] = {
            "title": post.get(p + "title", "").strip(),
            "intro": post.get(p + "intro", "").strip(),
            "thank_you": post.get(p + "thank_you", "").strip(),
            "labels": {str(n): post.get(f"{p}q{n}_label", "").strip() for n in range(rows)},
            "options": {str(n): post.get(f"{p}q{n}_options", "") for n in range(rows)},
        }
    return {
        "kind": post.get("kind", ""),
        "name": post.get("name", ""),
        "intro": post.get("intro", ""),
        "thank_you": post.get("thank_you", ""),
        "default_language": post.get("default_language", "en"),
        "is_active": bool(post.get("is_active")),
        "send_on_case_resolve": bool(post.get("send_on_case_resolve")),
        "segment": post.get("segment", ""),
        "questions": questions,
        "translations": translations,
    }


def _service_args(values: dict) -> tuple[dict, dict[int, int]]:
    """The service's arguments from the form's values, and for each question sent (by its
    position there) the form row it came from, to show an error next to its row. A row
    without key, label or options is an empty row and is left out."""
    questions, row_of = [], {}
    for n, q in enumerate(values["questions"]):
        if not (q["key"] or q["label"] or q["options"].strip()):
            continue
        item = {"key": q["key"], "kind": q["kind"], "label": q["label"], "required": q["required"]}
        if q["kind"] == QuestionKind.RATING:
            item.update(scale_min=q["scale_min"], scale_max=q["scale_max"])
        if q["kind"] in CHOICES:
            item["options"] = _options_from(q["options"])
        row_of[len(questions)] = n
        questions.append(item)
    default = supported(values["default_language"]) or values["default_language"]
    translations = {}
    for code, texts in values["translations"].items():
        if code == default:
            continue
        labels = {}
        for position, item in enumerate(questions):
            n = str(row_of[position])
            if label := texts["labels"].get(n, "").strip():
                labels[item["key"]] = label
            option_labels = texts["options"].get(n, "").splitlines()
            for option, label in zip(item.get("options", []), option_labels, strict=False):
                if label.strip():
                    labels[f"{item['key']}.{option['value']}"] = label.strip()
        fields = {k: texts[k] for k in ("title", "intro", "thank_you") if texts[k]}
        if fields or labels:
            translations[code] = {**fields, "labels": labels}
    args = {
        "name": values["name"],
        "intro": values["intro"],
        "thank_you": values["thank_you"],
        "default_language": values["default_language"],
        "is_active": values["is_active"],
        "send_on_case_resolve": values["send_on_case_resolve"],
        "questions": questions,
        "translations": translations,
        "segment": values["segment"] or None,
    }
    return args, row_of


def _form_errors(errors: dict, row_of: dict[int, int]) -> dict:
    """The service's error keys ("questions.2.label") as the form's ("q3_label")."""
    out = {}
    for key, message in errors.items():
        parts = key.split(".")
        if parts[0] == "questions" and len(parts) >= 2 and parts[1].isdigit():
            n = row_of.get(int(parts[1]), int(parts[1]))
            field = parts[2] if len(parts) > 2 else "key"
            field = {"options": "options", "scale_min": "scale", "scale_max": "scale"}.get(
                field, field
            )
            out.setdefault(f"q{n}_{field}", message)
        elif parts[0] == "translations":
            out.setdefault("translations", message)
        else:
            out.setdefault(parts[0], message)
    return out


def _pad(questions: list[dict]) -> list[dict]:
    blank = {
        "key": "",
        "kind": QuestionKind.RATING,
        "label": "",
        "required": False,
        "scale_min": "1",
        "scale_max": "5",
        "options": "",
    }
    return list(questions) + [dict(blank) for _ in range(EMPTY_ROWS)]


def _form(request, access, survey: Survey | None):
    if request.method == "POST":
        rows = int(request.POST.get("rows", "0") or 0)
        rows = max(0, min(rows, 100))
        values = _values_from_post(request.POST, rows)
        args, row_of = _service_args(values)
        try:
            if survey is None:
                survey = services.survey_create(
                    workspace=access.workspace, kind=values["kind"], **args
                )
                messages.success(
                    request, _("Created the survey “%(name)s”.") % {"name": survey.name}
                )
            else:
                services.survey_update(survey=survey, **args)
                messages.success(request, _("Saved “%(name)s”.") % {"name": survey.name})
        except FieldErrors as e:
            return _render_form(
                request, access, survey, values, _form_errors(e.errors, row_of), status=INVALID
            )
        return redirect("settings_surveys", access.workspace.slug)
    values = _values_from_survey(survey)
    values["questions"] = _pad(values["questions"])
    return _render_form(request, access, survey, values, {})


def _render_form(request, access, survey, values, errors, status=200):
    rows = []
    for n, q in enumerate(values["questions"]):
        texts = {code: values["translations"].get(code) or {} for code in LANGUAGE_CODES}
        rows.append(
            {
                "n": n,
                **q,
                "errors": {
                    f: errors.get(f"q{n}_{f}") for f in ("key", "kind", "label", "options", "scale")
                },
                "tr": {
                    code: {
                        "label": texts[code].get("labels", {}).get(str(n), ""),
                        "options": texts[code].get("options", {}).get(str(n), ""),
                    }
                    for code in LANGUAGE_CODES
                },
            }
        )
    context = {
        "survey": survey,
        "v": values,
        "rows": rows,
        "errors": errors,
        "kinds": SurveyKind.choices,
        "question_kinds": QuestionKind.choices,
        "languages": LANGUAGE_CHOICES,
        "translations": [
            {"code": code, "name": name, **(values["translations"].get(code) or {})}
            for code, name in _other_languages(
                supported(values["default_language"]) or values["default_language"]
            )
        ],
        "segment_choices": [
            (str(s.pk), "\u00a0\u00a0\u00a0" * s.depth + s.name)
            for s in segment_tree(access.workspace.organization_id)
        ],
    }
    return _render(request, access, "feedback/settings_survey_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.MANAGE_CARE)
def survey_new(request, access):
    return _form(request, access, None)


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.MANAGE_CARE)
def survey_edit(request, access, survey_id):
    return _form(request, access, selectors.survey_get(access, survey_id))
