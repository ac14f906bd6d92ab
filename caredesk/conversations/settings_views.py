"""Settings → Topics: the workspace's topic taxonomy (manage_care). A tree of topics with
their names and phrases per language, switched on or off; suggestions of new topics from the
keyphrases of the last 30 days, added in a click. Writes go through conversations.topics,
whose FieldErrors are shown next to the fields (status 400, nothing changed)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caredesk.analysis.models import LANGUAGES, Topic
from caredesk.conversations import tasks, topics
from caredesk.core.errors import FieldErrors
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.views import settings_sections
from caredesk.workspaces.web import render_ws, workspace_view

# Each language by its own name (as in the language menu).
LANGUAGE_NAMES = {"en": "English", "pt": "Português", "it": "Italiano", "bg": "Български"}


def _language_rows(values: dict) -> list[dict]:
    return [
        {
            "code": lang,
            "label": LANGUAGE_NAMES.get(lang, lang),
            "name": values.get(f"name_{lang}", ""),
            "phrases": values.get(f"phrases_{lang}", ""),
        }
        for lang in LANGUAGES
    ]


def _values_of(topic: Topic | None) -> dict:
    if topic is None:
        return {"name": "", "parent": "", "is_active": True}
    values = {
        "name": topic.name,
        "parent": str(topic.parent_id or ""),
        "is_active": topic.is_active,
    }
    for lang in LANGUAGES:
        values[f"name_{lang}"] = (topic.names or {}).get(lang, "")
        values[f"phrases_{lang}"] = "\n".join((topic.phrases or {}).get(lang, []))
    return values


def _parse(post) -> tuple[dict, dict]:
    """(the form's values as typed, the service's arguments)."""
    values = {
        "name": post.get("name", ""),
        "parent": post.get("parent", ""),
        "is_active": post.get("is_active") == "on",
    }
    names, phrases = {}, {}
    for lang in LANGUAGES:
        values[f"name_{lang}"] = post.get(f"name_{lang}", "")
        values[f"phrases_{lang}"] = post.get(f"phrases_{lang}", "")
        if values[f"name_{lang}"].strip():
            names[lang] = values[f"name_{lang}"]
        # One phrase a line (commas also separate them).
        items = [
            p.strip() for line in values[f"phrases_{lang}"].splitlines() for p in line.split(",")
        ]
        if any(items):
            phrases[lang] = [p for p in items if p]
    args = {
        "name": values["name"],
        "parent": values["parent"] or None,
        "names": names,
        "phrases": phrases,
        "is_active": values["is_active"],
    }
    return values, args


def _page(request, access, *, editing=None, values=None, errors=None, status=200):
    tree = topics.topic_tree(access.workspace)
    excluded = set()
    if editing is not None:  # a topic cannot move under itself or its subtopics
        excluded = set(topics.descendants(access.workspace, editing.pk))
    context = {
        "sections": settings_sections(access, "topics"),
        "tree": tree,
        "editing": editing,
        "values": values or _values_of(editing),
        "languages": _language_rows(values or _values_of(editing)),
        "errors": errors or {},
        "parents": [(t, depth) for t, depth in tree if t.pk not in excluded],
        "suggestions": topics.topic_suggestions(access) if editing is None else [],
        "suggest_days": topics.SUGGEST_DAYS,
        "reanalyse_days": tasks.TAXONOMY_DAYS,
    }
    return render_ws(
        request,
        access,
        "conversations/topic_settings.html",
        context,
        active="settings",
        status=status,
    )


def _back(access, anchor: str = ""):
    return redirect(reverse("topic_settings", args=[access.workspace.slug]) + anchor)


def _changed_message(request, text: str) -> None:
    messages.success(
        request,
        _("%(what)s The conversations of the last %(days)s days are being analysed again.")
        % {"what": text, "days": tasks.TAXONOMY_DAYS},
    )


@workspace_view(Perm.MANAGE_CARE)
def topic_settings(request, access):
    if request.method != "POST":
        return _page(request, access)
    values, args = _parse(request.POST)
    try:
        topic = topics.topic_create(access=access, **args)
    except FieldErrors as exc:
        return _page(request, access, values=values, errors=exc.errors, status=400)
    _changed_message(request, _("Topic %(name)s added.") % {"name": topic.name})
    return _back(access, f"#topic-{topic.pk}")


def _topic(access, topic_id: int) -> Topic:
    from django.http import Http404

    topic = Topic.objects.filter(workspace=access.workspace, pk=topic_id).first()
    if topic is None:
        raise Http404(_("No such topic"))
    return topic


@workspace_view(Perm.MANAGE_CARE)
def topic_edit(request, access, topic_id: int):
    topic = _topic(access, topic_id)
    if request.method != "POST":
        return _page(request, access, editing=topic)
    values, args = _parse(request.POST)
    try:
        topics.topic_update(access=access, topic=topic, **args)
    except FieldErrors as exc:
        return _page(request, access, editing=topic, values=values, errors=exc.errors, status=400)
    _changed_message(request, _("Topic %(name)s saved.") % {"name": topic.name})
    return _back(access, f"#topic-{topic.pk}")


@require_POST
@workspace_view(Perm.MANAGE_CARE)
def topic_toggle(request, access, topic_id: int):
    topic = _topic(access, topic_id)
    topics.topic_update(access=access, topic=topic, is_active=not topic.is_active)
    text = (
        _("Topic %(name)s switched on.") if topic.is_active else _("Topic %(name)s switched off.")
    )
    _changed_message(request, text % {"name": topic.name})
    return _back(access, f"#topic-{topic.pk}")


@require_POST
@workspace_view(Perm.MANAGE_CARE)
def topic_delete(request, access, topic_id: int):
    topic = _topic(access, topic_id)
    name = topic.name
    topics.topic_delete(access=access, topic=topic)
    _changed_message(request, _("Topic %(name)s deleted, with its subtopics.") % {"name": name})
    return _back(access)


@require_POST
@workspace_view(Perm.MANAGE_CARE)
def topic_suggestion_add(request, access):
    """A suggested keyphrase becomes a topic of that name, with the phrase in its language."""
    phrase = request.POST.get("phrase", "")
    language = request.POST.get("language", "")
    if language not in LANGUAGES:
        messages.error(request, _("Unknown language."))
        return _back(access)
    try:
        topic = topics.topic_create(
            access=access,
            name=phrase.strip()[:1].upper() + phrase.strip()[1:],
            phrases={language: [phrase]},
        )
    except FieldErrors as exc:
        messages.error(request, "; ".join(exc.errors.values()))
        return _back(access, "#suggestions")
    _changed_message(request, _("Topic %(name)s added.") % {"name": topic.name})
    return _back(access, f"#topic-{topic.pk}")
