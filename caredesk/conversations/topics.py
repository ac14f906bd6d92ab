"""The workspace's topic taxonomy: create, change, delete (Settings → Topics and the API),
and suggestions of new topics from the keyphrases of recent texts.

Every change queues, after its commit, a re-analysis of the last 90 days
(`tasks.reanalyse_taxonomy`), so the Conversations tab counts the new taxonomy."""

import datetime as dt

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caredesk.analysis import engine
from caredesk.analysis.models import LANGUAGES, Analysis, Topic
from caredesk.conversations import pipeline
from caredesk.core.errors import FieldErrors
from caredesk.core.limits import text_error
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

MAX_NAME = 100
MAX_PHRASE = 200
MAX_PHRASES = 200  # per language
MAX_DEPTH = 4  # levels of the hierarchy
SUGGEST_DAYS = 30
SUGGEST_TEXTS = 400  # per language: the most recent customer texts a suggestion reads
SUGGEST_CACHE_SECONDS = 300


def _clean_name(value, field: str, errors: dict) -> str:
    if error := text_error(value, MAX_NAME):
        errors[field] = error
        return ""
    value = " ".join(value.split())
    if not value:
        errors[field] = _("A name is required.")
    return value


def _clean_names(value, errors: dict) -> dict[str, str]:
    if not isinstance(value, dict):
        errors["names"] = _("An object: language → name.")
        return {}
    out = {}
    for lang, name in value.items():
        if lang not in LANGUAGES:
            errors["names"] = _("Unknown language %(lang)s; one of: %(langs)s") % {
                "lang": repr(lang),
                "langs": ", ".join(LANGUAGES),
            }
            return {}
        if error := text_error(name, MAX_NAME):
            errors["names"] = f"{lang}: {error}"
            return {}
        if name.strip():
            out[lang] = " ".join(name.split())
    return out


def _clean_phrases(value, errors: dict) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        errors["phrases"] = _("An object: language → list of phrases.")
        return {}
    out = {}
    for lang, phrases in value.items():
        if lang not in LANGUAGES:
            errors["phrases"] = _("Unknown language %(lang)s; one of: %(langs)s") % {
                "lang": repr(lang),
                "langs": ", ".join(LANGUAGES),
            }
            return {}
        if not isinstance(phrases, list | tuple):
            errors["phrases"] = _("%(lang)s: a list of phrases.") % {"lang": lang}
            return {}
        if len(phrases) > MAX_PHRASES:
            errors["phrases"] = _("%(lang)s: at most %(n)s phrases.") % {
                "lang": lang,
                "n": MAX_PHRASES,
            }
            return {}
        seen, kept = set(), []
        for phrase in phrases:
            if error := text_error(phrase, MAX_PHRASE):
                errors["phrases"] = f"{lang}: {error}"
                return {}
            phrase = " ".join(phrase.split())
            if phrase and phrase.lower() not in seen:
                seen.add(phrase.lower())
                kept.append(phrase)
        if kept:
            out[lang] = kept
    return out


def _depth(topic: Topic | None) -> int:
    n = 0
    while topic is not None:
        n += 1
        topic = topic.parent
    return n


def _clean_parent(access: Access, value, topic: Topic | None, errors: dict) -> Topic | None:
    if value in (None, ""):
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        errors["parent"] = _("No such topic in this workspace.")
        return None
    parent = Topic.objects.filter(workspace=access.workspace, pk=pk).first()
    if parent is None:
        errors["parent"] = _("No such topic in this workspace.")
        return None
    node = parent
    while node is not None:
        if topic is not None and node.pk == topic.pk:
            errors["parent"] = _("A topic cannot be placed under itself or its subtopics.")
            return None
        node = node.parent
    if _depth(parent) >= MAX_DEPTH:
        errors["parent"] = _("Topics nest at most %(n)s levels deep.") % {"n": MAX_DEPTH}
    return parent


def _check_unique(access: Access, name: str, parent: Topic | None, topic: Topic | None, errors):
    if not name or "name" in errors or "parent" in errors:
        return
    clash = Topic.objects.filter(workspace=access.workspace, parent=parent, name__iexact=name)
    if topic is not None:
        clash = clash.exclude(pk=topic.pk)
    if clash.exists():
        errors["name"] = _("A topic of this name is already there.")


def _changed(access: Access) -> None:
    from caredesk.conversations import tasks

    workspace_id = access.workspace.pk
    transaction.on_commit(lambda: tasks.reanalyse_taxonomy(workspace_id))


def topic_create(
    *,
    access: Access,
    name,
    parent=None,
    names=None,
    phrases=None,
    is_active=True,
) -> Topic:
    access.require(Perm.MANAGE_CARE)
    errors: dict[str, str] = {}
    name = _clean_name(name, "name", errors)
    names = _clean_names(names or {}, errors)
    phrases = _clean_phrases(phrases or {}, errors)
    parent_topic = _clean_parent(access, parent, None, errors)
    if not isinstance(is_active, bool):
        errors["is_active"] = _("True or false.")
    _check_unique(access, name, parent_topic, None, errors)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        topic = Topic.objects.create(
            workspace=access.workspace,
            parent=parent_topic,
            name=name,
            names=names,
            phrases=phrases,
            is_active=is_active,
        )
        _changed(access)
    return topic


UNSET = object()


def topic_update(
    *,
    access: Access,
    topic: Topic,
    name=UNSET,
    parent=UNSET,
    names=UNSET,
    phrases=UNSET,
    is_active=UNSET,
) -> Topic:
    """Change the fields given (the others stay)."""
    access.require(Perm.MANAGE_CARE)
    errors: dict[str, str] = {}
    values = {}
    if name is not UNSET:
        values["name"] = _clean_name(name, "name", errors)
    if names is not UNSET:
        values["names"] = _clean_names(names if names is not None else {}, errors)
    if phrases is not UNSET:
        values["phrases"] = _clean_phrases(phrases if phrases is not None else {}, errors)
    if parent is not UNSET:
        values["parent"] = _clean_parent(access, parent, topic, errors)
    if is_active is not UNSET:
        if not isinstance(is_active, bool):
            errors["is_active"] = _("True or false.")
        values["is_active"] = is_active
    _check_unique(
        access,
        values.get("name", topic.name),
        values.get("parent", topic.parent) if "parent" in values else topic.parent,
        topic,
        errors,
    )
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        for key, value in values.items():
            setattr(topic, key, value)
        topic.save()
        _changed(access)
    return topic


def topic_delete(*, access: Access, topic: Topic) -> None:
    """Deletes the topic, its subtopics and their hits."""
    access.require(Perm.MANAGE_CARE)
    with transaction.atomic():
        topic.delete()
        _changed(access)


def topic_tree(workspace) -> list[tuple[Topic, int]]:
    """Every topic with its depth, parents before their children, by name."""
    topics = list(Topic.objects.filter(workspace=workspace).order_by("name", "id"))
    children: dict[int | None, list[Topic]] = {}
    for t in topics:
        children.setdefault(t.parent_id, []).append(t)
    out: list[tuple[Topic, int]] = []

    def walk(parent_id, depth):
        for t in children.get(parent_id, ()):
            out.append((t, depth))
            walk(t.pk, depth + 1)

    walk(None, 0)
    return out


def topic_label(topic: Topic, language: str = "") -> str:
    """The topic's name in a language (its own name when it has none there)."""
    return (topic.names or {}).get((language or "")[:2]) or topic.name


def descendants(workspace, topic_id: int) -> list[int]:
    """The topic and every topic below it."""
    pairs = list(Topic.objects.filter(workspace=workspace).values_list("pk", "parent_id"))
    out, todo = [topic_id], [topic_id]
    while todo:
        current = todo.pop()
        for pk, parent in pairs:
            if parent == current:
                out.append(pk)
                todo.append(pk)
    return out


def topic_suggestions(access: Access, limit: int = 20) -> list[dict]:
    """New topics worth adding: keyphrases found in several of the last 30 days' customer
    texts that no topic's phrase already covers (engine.suggest_topics, per language):
    [{"phrase", "language", "count"}], most frequent first. Kept for a few minutes: it
    reads hundreds of texts, and the page is opened again after each click."""
    stamp = pipeline.taxonomy_stamp(access.workspace.pk)
    key = f"caredesk:topic-suggestions:{access.workspace.pk}:{stamp}:{limit}"
    found = cache.get(key)
    if found is None:
        found = _suggest(access.workspace, limit)
        cache.set(key, found, SUGGEST_CACHE_SECONDS)
    return found


def _suggest(workspace, limit: int) -> list[dict]:
    since = timezone.now() - dt.timedelta(days=SUGGEST_DAYS)
    texts: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    rows = (
        Analysis.objects.filter(workspace=workspace, occurred_at__gte=since)
        .exclude(language="")
        .order_by("-occurred_at")
        .values_list("units", "language")
    )
    for units, language in rows.iterator():
        bucket = texts.get(language)
        if bucket is None or len(bucket) >= SUGGEST_TEXTS:
            continue
        text = "\n".join(u.get("text", "") for u in units or () if u.get("side") == "customer")
        if text.strip():
            bucket.append(text)
        if all(len(b) >= SUGGEST_TEXTS for b in texts.values()):
            break
    topics = list(Topic.objects.filter(workspace=workspace).values_list("phrases", flat=True))
    out = []
    for language, docs in texts.items():
        if not docs:
            continue
        existing = [
            p
            for phrases in topics
            for p in (phrases or {}).get(language, []) + (phrases or {}).get("*", [])
        ]
        for phrase, count in engine.suggest_topics(docs, language, existing, top=limit):
            out.append({"phrase": phrase, "language": language, "count": count})
    out.sort(key=lambda s: (-s["count"], s["phrase"]))
    return out[:limit]
