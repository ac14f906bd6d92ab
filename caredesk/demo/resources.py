"""The demo's resource center (part of `caredesk seed-demo`): a category tree, the articles of
articles_public / articles_internal in their languages with their version history, and what
happened to them over the last 90 days: suggested to the agents and inserted into replies in
the demo's real chats (the chats about the problem the article answers), viewed on the public
help center.

Written through the models, then moved back in time (created, published, each version, each
use), as demo.quality does, so the history reads like months of work. Deterministic
(random.Random); `seed_resources` writes only into a workspace that has no article yet."""

import datetime as dt
import random
from collections import defaultdict

from django.db.models import Min
from django.utils.text import slugify

from caredesk.audit.models import AuditEntry
from caredesk.audit.services import audit_changes
from caredesk.demo.articles_data import CATEGORIES, parent_of
from caredesk.demo.articles_internal import INTERNAL
from caredesk.demo.articles_public import PUBLIC
from caredesk.demo.texts import LINES
from caredesk.journey.models import Activity, MediaType
from caredesk.resources.models import (
    Article,
    ArticleStatus,
    ArticleTag,
    ArticleTranslation,
    ArticleUse,
    ArticleVersion,
    Audience,
    Category,
    UseKind,
)
from caredesk.routing.models import Message
from caredesk.workspaces.models import User

ARTICLES = PUBLIC + INTERNAL
DAYS = 90
# Who translates into each language (the stores' leads of that country; the admin into English).
TRANSLATORS = {"en": "admin", "pt-br": "lisbon.lead", "it": "milan.lead", "bg": "sofia.lead"}
# Chance that an agent in a chat about an article's problem gets articles suggested, and
# that they insert one of the public ones into the reply.
SUGGESTED = 0.8
INSERTED = 0.45
# Public views per unit of an article's `views` weight over 90 days.
VIEWS_PER_WEIGHT = 7


def seed_resources(workspace, now: dt.datetime, seed: int = 7) -> int:
    """The demo resource center, where the workspace has no article yet; how many articles
    it made."""
    if Article.objects.filter(workspace=workspace).exists():
        return 0
    rnd = random.Random(seed)
    users = {u.username: u for u in User.objects.filter(organization=workspace.organization)}
    categories = _categories(workspace)
    tags = _tags(workspace)
    taken: set[str] = set()
    made = {}
    for i, spec in enumerate(ARTICLES):
        made[spec["key"]] = _article(workspace, spec, i, now, rnd, users, categories, tags, taken)
    _uses(workspace, made, now, rnd)
    return len(made)


def article_of(workspace, key: str) -> Article | None:
    """A demo article by its key (its original title), for the demo's action plans."""
    spec = next(s for s in ARTICLES if s["key"] == key)
    title = spec["texts"][spec["lang"]][0]
    tr = (
        ArticleTranslation.objects.filter(workspace=workspace, language=spec["lang"], title=title)
        .select_related("article")
        .first()
    )
    return tr.article if tr else None


def _categories(workspace) -> dict[str, Category]:
    out = {}
    for position, (key, (_parent, name, names)) in enumerate(CATEGORIES.items()):
        parent = out.get(parent_of(key)) if parent_of(key) else None
        out[key] = Category.objects.create(
            workspace=workspace, parent=parent, name=name, names=names, position=position
        )
    return out


def _tags(workspace) -> dict[str, ArticleTag]:
    names = sorted({t for spec in ARTICLES for t in spec["tags"]})
    ArticleTag.objects.bulk_create(ArticleTag(workspace=workspace, name=n) for n in names)
    return {t.name: t for t in ArticleTag.objects.filter(workspace=workspace)}


def _slug(title: str, taken: set[str]) -> str:
    base = slugify(title, allow_unicode=True)[:200] or "article"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _history(spec) -> list[tuple[str, str, str, str]]:
    """The original's versions, oldest first: (username, note, title, body)."""
    title, body = spec["texts"][spec["lang"]]
    revisions = spec.get("revisions", [])
    bodies = [body]
    for _who, _note, changes in reversed(revisions):
        before = bodies[0]
        for now_text, old_text in changes.items():
            assert now_text in before, (spec["key"], now_text)
            before = before.replace(now_text, old_text)
        bodies.insert(0, before)
    authors = [(spec["author"], "")] + [(who, note) for who, note, _c in revisions]
    return [(who, note, title, b) for (who, note), b in zip(authors, bodies, strict=True)]


def _article(workspace, spec, i, now, rnd, users, categories, tags, taken) -> Article:
    status = spec["status"]
    if status == ArticleStatus.DRAFT:
        created = now - dt.timedelta(days=rnd.randrange(2, 12), hours=rnd.randrange(8))
    elif status == ArticleStatus.ARCHIVED:
        created = now - dt.timedelta(days=rnd.randrange(200, 260))
    else:
        # The handbook and the core help pages first, the rest spread over the months since.
        created = now - dt.timedelta(
            days=max(95, 150 - i * 2) if i < 14 else rnd.randrange(30, 120)
        )
    created = created.replace(minute=rnd.randrange(60), second=0, microsecond=0)
    author = users.get(spec["author"]) or users["admin"]
    article = Article.objects.create(
        workspace=workspace,
        category=categories[spec["category"]],
        audience=spec["audience"],
        status=status,
        language=spec["lang"],
        created_by=author,
    )
    article.tags.set([tags[t] for t in spec["tags"]])
    history = _history(spec)
    # Each later version some weeks after the one before, the last at least a few days ago.
    span = (now - dt.timedelta(days=3) - created).total_seconds()
    times = [created] + [
        created + dt.timedelta(seconds=span * (k + 1) / len(history) * rnd.uniform(0.7, 1.0))
        for k in range(len(history) - 1)
    ]
    last = times[-1]
    for language, (title, body) in spec["texts"].items():
        original = language == spec["lang"]
        versions = history if original else [(TRANSLATORS[language], "", title, body)]
        at = (
            times
            if original
            else [created + dt.timedelta(days=rnd.randrange(1, 10), hours=rnd.randrange(8))]
        )
        at = [min(t, now - dt.timedelta(hours=2)) for t in at]
        editor = users.get(versions[-1][0]) or author
        tr = ArticleTranslation.objects.create(
            article=article,
            workspace=workspace,
            language=language,
            title=title,
            body=body,
            slug=_slug(title, taken),
            version=len(versions),
            updated_by=editor,
        )
        for number, ((who, note, v_title, v_body), when) in enumerate(
            zip(versions, at, strict=True), start=1
        ):
            v = ArticleVersion.objects.create(
                translation=tr,
                number=number,
                title=v_title,
                body=v_body,
                author=users.get(who) or author,
                note=note or ("Translation" if not original else ""),
            )
            ArticleVersion.objects.filter(pk=v.pk).update(created_at=when)
        ArticleTranslation.objects.filter(pk=tr.pk).update(updated_at=at[-1])
        last = max(last, at[-1])
    published = None
    if status != ArticleStatus.DRAFT:
        published = created + dt.timedelta(hours=rnd.randrange(2, 30))
    if status == ArticleStatus.ARCHIVED:
        last = now - dt.timedelta(days=rnd.randrange(40, 70))
    Article.objects.filter(pk=article.pk).update(
        created_at=created, updated_at=last, published_at=published
    )
    # The article's log, as resources.services writes it: created as a draft (or published
    # at once), published later, archived at the end.
    first = ArticleStatus.DRAFT if status == ArticleStatus.DRAFT else ArticleStatus.PUBLISHED
    _log(
        workspace,
        article,
        author,
        "created",
        created,
        [
            ("status", "", first),
            ("audience", "", spec["audience"]),
            ("language", "", spec["lang"]),
            ("category", "", categories[spec["category"]].name),
            ("tags", "", ", ".join(spec["tags"])),
        ],
    )
    if status == ArticleStatus.ARCHIVED:
        _log(
            workspace,
            article,
            users["admin"],
            "updated",
            last,
            [("status", ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED)],
        )
    article.created_at, article.updated_at, article.published_at = created, last, published
    return article


def _log(workspace, article, actor, action, at, changes) -> None:
    mark = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    audit_changes(workspace=workspace, obj=article, actor=actor, action=action, changes=changes)
    AuditEntry.objects.filter(pk__gt=mark, object_id=article.pk).update(created_at=at)


def _scenario_prefixes() -> list[tuple[str, int]]:
    """The start of each demo chat scenario's first line, in every language."""
    out = []
    for lines in LINES.values():
        for index, scenario in enumerate(lines["scenarios"]):
            out.append((scenario["open"].split("{")[0], index))
    return out


def _chats(workspace) -> list[dict]:
    """The workspace's demo chats with their scenario, agent, language and times."""
    prefixes = _scenario_prefixes()
    firsts = dict(
        Message.objects.filter(conversation__workspace=workspace, sender="customer")
        .values("conversation_id")
        .annotate(first=Min("id"))
        .values_list("conversation_id", "first")
    )
    bodies = dict(Message.objects.filter(pk__in=firsts.values()).values_list("id", "body"))
    chats = []
    for row in Activity.objects.filter(
        workspace=workspace, media_type=MediaType.CHAT, conversation__isnull=False
    ).values("pk", "conversation_id", "agent_id", "started_at", "conversation__language"):
        body = bodies.get(firsts.get(row["conversation_id"]), "")
        scenario = next((i for p, i in prefixes if body.startswith(p)), None)
        if scenario is not None and row["started_at"]:
            chats.append({**row, "scenario": scenario})
    return sorted(chats, key=lambda c: c["pk"])


def _uses(workspace, made: dict[str, Article], now, rnd) -> None:
    translations = defaultdict(dict)
    for tr in ArticleTranslation.objects.filter(workspace=workspace):
        translations[tr.article_id][tr.language] = tr
    live = [
        (spec, made[spec["key"]]) for spec in ARTICLES if spec["status"] == ArticleStatus.PUBLISHED
    ]
    by_scenario = defaultdict(list)
    for spec, article in live:
        for s in spec.get("scenarios", []):
            by_scenario[s].append(article)
    uses: list[tuple[ArticleUse, dt.datetime]] = []

    def use(article, kind, at, activity_id=None, user_id=None, language=None):
        trs = translations[article.pk]
        tr = trs.get(language) or trs[article.language]
        row = ArticleUse(
            workspace=workspace,
            article=article,
            translation=tr,
            kind=kind,
            activity_id=activity_id,
            user_id=user_id,
        )
        uses.append((row, at))

    for chat in _chats(workspace):
        start = chat["started_at"]
        candidates = [a for a in by_scenario[chat["scenario"]] if a.published_at < start]
        if not candidates or rnd.random() >= SUGGESTED:
            continue
        shown = rnd.sample(candidates, min(len(candidates), rnd.choice([1, 2, 2, 3])))
        at = start + dt.timedelta(seconds=rnd.randrange(30, 150))
        for article in shown:
            use(
                article,
                UseKind.SUGGESTED,
                at,
                chat["pk"],
                chat["agent_id"],
                chat["conversation__language"],
            )
        public = [a for a in shown if a.audience == Audience.PUBLIC]
        if public and rnd.random() < INSERTED:
            use(
                public[0],
                UseKind.INSERTED,
                at + dt.timedelta(seconds=rnd.randrange(20, 240)),
                chat["pk"],
                chat["agent_id"],
                chat["conversation__language"],
            )
    for spec, article in live:
        if article.audience != Audience.PUBLIC or not spec.get("views"):
            continue
        since = max(article.published_at, now - dt.timedelta(days=DAYS))
        seconds = int((now - since).total_seconds())
        languages = list(translations[article.pk])
        for _ in range(spec["views"] * VIEWS_PER_WEIGHT * seconds // (DAYS * 86400)):
            at = since + dt.timedelta(seconds=rnd.randrange(seconds))
            use(article, UseKind.VIEWED, at, language=rnd.choice(languages))
    rows = ArticleUse.objects.bulk_create([u for u, _at in uses], batch_size=500)
    # `at` is stamped on insert: the moments they happened are set after.
    for row, (_u, at) in zip(rows, uses, strict=True):
        row.at = at
    ArticleUse.objects.bulk_update(rows, ["at"], batch_size=500)


def resource_counts(workspace) -> list[str]:
    """What the database holds for the resource center and the action plans, counted."""
    from caredesk.action_plans.models import ActionPlan

    articles = Article.objects.filter(workspace=workspace)
    if not articles.exists():
        return []
    status = dict.fromkeys(ArticleStatus.values, 0)
    for value in articles.values_list("status", flat=True):
        status[value] += 1
    translations = ArticleTranslation.objects.filter(workspace=workspace)
    languages = translations.values("language").distinct().count()
    uses = ArticleUse.objects.filter(workspace=workspace)
    plans = ActionPlan.objects.filter(workspace=workspace)
    return [
        f"  {workspace.name} resource center: {articles.count()} articles"
        f" ({articles.filter(audience=Audience.PUBLIC).count()} public,"
        f" {status[ArticleStatus.DRAFT]} drafts, {status[ArticleStatus.ARCHIVED]} archived),"
        f" {translations.count()} texts in {languages} languages;"
        f" {uses.filter(kind=UseKind.SUGGESTED).count():,} suggestions,"
        f" {uses.filter(kind=UseKind.INSERTED).count():,} insertions,"
        f" {uses.filter(kind=UseKind.VIEWED).count():,} public views;"
        f" {plans.count()} action plans",
    ]
