"""The resource center over REST: articles with their translations and versions, categories
and tags of a workspace. Every member (use_care) reads the published articles; writers
(manage_resources) write, publish and read drafts and archived ones. Every write goes through
caredesk.resources.services, whose FieldErrors are the 400 naming the field.

Path ids are integers, so /articles/search (the search's own operation) never reaches these."""

import datetime as dt

from django.urls import reverse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS, Bool, Id, In, Int, Text, UserRef, user_ref
from caredesk.core.errors import FieldErrors
from caredesk.core.i18n import LANGUAGE_CODES
from caredesk.core.markdown import render_markdown
from caredesk.resources import selectors, services
from caredesk.resources.models import ArticleStatus, Audience
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

router = Router(tags=["articles"])

WS = "/workspaces/{workspace}"
ART = WS + "/articles/{article_id}"
LANGS = ", ".join(LANGUAGE_CODES)
STATUSES = ", ".join(ArticleStatus.values)
AUDIENCES = ", ".join(Audience.values)
MAX_LIMIT = 200


# -- shapes ---------------------------------------------------------------------------------


class ArticleTranslationSummary(Schema):
    language: str
    title: str
    slug: str
    version: int
    updated_at: dt.datetime


class ArticleOut(Schema):
    id: int
    language: str = Field(description=f"The language it was first written in: {LANGS}")
    category: int | None
    category_name: str
    tags: list[str]
    audience: str = Field(description=f"One of: {AUDIENCES}")
    status: str = Field(description=f"One of: {STATUSES}")
    translations: list[ArticleTranslationSummary]
    source_case: int | None = Field(description="The number of the ticket it was written from")
    source_activity: int | None = Field(description="The conversation it was written from")
    created_by: UserRef | None
    created_at: dt.datetime
    updated_at: dt.datetime
    published_at: dt.datetime | None
    public_url: str | None = Field(
        description="Its help center page (original language), when public and published"
    )


class ArticleIn(In):
    title: Text(services.MAX_TITLE) | None = Field(
        None, description="Required, unless written from a ticket or conversation (prefilled)"
    )
    body: Text(services.MAX_ARTICLE_BODY) | None = Field(None, description="Markdown")
    language: Text(10) | None = Field(None, description=f"One of: {LANGS} (default en)")
    category: Id | None = None
    tags: list[Text(services.MAX_TAG)] = Field(
        default_factory=list, description=f"Names, created as needed; at most {services.MAX_TAGS}"
    )
    audience: Text(10) = Field(Audience.INTERNAL, description=f"One of: {AUDIENCES}")
    status: Text(10) = Field(ArticleStatus.DRAFT, description=f"One of: {STATUSES}")
    note: Text(services.MAX_NOTE) = Field("", description="What this first version is")
    source_case: Id | None = Field(
        None,
        description="Write it from this resolved or closed ticket (its number): title and "
        "body are prefilled (Problem, Solution) where not given",
    )
    source_activity: Id | None = Field(
        None, description="Write it from this ended conversation (activity id), likewise"
    )


class ArticlePatch(In):
    category: Id | None = Field(None, description="null: no category")
    tags: list[Text(services.MAX_TAG)] | None = Field(None, description="Replaces them")
    audience: Text(10) | None = Field(None, description=f"One of: {AUDIENCES}")
    status: Text(10) | None = Field(None, description=f"One of: {STATUSES}")


class ArticleTranslationOut(Schema):
    language: str
    title: str
    body: str = Field(description="Markdown")
    body_html: str = Field(description="The body rendered (sanitised HTML)")
    slug: str
    version: int = Field(description="The number of the current version")
    updated_by: UserRef | None
    updated_at: dt.datetime
    public_url: str | None


class ArticleTranslationIn(In):
    language: Text(10) = Field(description=f"One of: {LANGS}; not one the article has")
    title: Text(services.MAX_TITLE)
    body: Text(services.MAX_ARTICLE_BODY) = ""
    note: Text(services.MAX_NOTE) = ""
    slug: Text(services.MAX_SLUG) | None = Field(None, description="Default: from the title")


class ArticleTranslationPut(In):
    title: Text(services.MAX_TITLE) | None = None
    body: Text(services.MAX_ARTICLE_BODY) | None = None
    note: Text(services.MAX_NOTE) = Field("", description="What changed")
    slug: Text(services.MAX_SLUG) | None = Field(None, description="A new public address")
    renew_slug: Bool = Field(False, description="Make the address from the new title")


class ArticleVersionOut(Schema):
    number: int
    title: str
    body: str
    author: UserRef | None
    created_at: dt.datetime
    restored_from: int | None = Field(description="The version this one restored")
    note: str


class ArticleRestoreIn(In):
    note: Text(services.MAX_NOTE) = ""


class ArticleCategoryOut(Schema):
    id: int
    name: str
    names: dict[str, str] = Field(description=f"Language ({LANGS}) → name shown")
    parent: int | None
    position: int
    depth: int
    article_count: int = Field(description="Articles directly in it, of those the caller sees")


class ArticleCategoryIn(In):
    name: Text(services.MAX_CATEGORY_NAME)
    parent: Id | None = None
    names: dict[str, Text(services.MAX_CATEGORY_NAME)] = Field(default_factory=dict)


class ArticleCategoryPatch(In):
    name: Text(services.MAX_CATEGORY_NAME) | None = None
    names: dict[str, Text(services.MAX_CATEGORY_NAME)] | None = Field(
        None, description="Replaces them"
    )
    parent: Id | None = Field(None, description="null: move to the top level")
    position: Int | None = Field(
        None, ge=0, le=10_000, description="Place among its siblings (0 first)"
    )


class ArticleTagOut(Schema):
    id: int
    name: str


class ArticleListQuery(Schema):
    category: int | None = Field(None, ge=1, le=2**63 - 1, description="It and its subcategories")
    status: str | None = Field(None, description=f"One of: {STATUSES} (writers)")
    audience: str | None = Field(None, description=f"One of: {AUDIENCES}")
    language: str | None = Field(None, description=f"Has a translation in: {LANGS}")
    tag: str | None = Field(None, description="A tag's name")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=2**31)


# -- turning models into shapes -------------------------------------------------------------


def _site(access: Access) -> str:
    return f"{access.workspace.organization.slug}.{access.workspace.slug}"


def _public_url(request, access, article, translation) -> str | None:
    if article.audience != Audience.PUBLIC or article.status != ArticleStatus.PUBLISHED:
        return None
    return request.build_absolute_uri(
        reverse("help_article", args=[_site(access), translation.slug])
    )


def article_out(request, access, article) -> dict:
    translations = sorted(article.translations.all(), key=lambda t: t.language)
    original = next((t for t in translations if t.language == article.language), None)
    return {
        "id": article.pk,
        "language": article.language,
        "category": article.category_id,
        "category_name": article.category.name if article.category else "",
        "tags": sorted(t.name for t in article.tags.all()),
        "audience": article.audience,
        "status": article.status,
        "translations": [
            {
                "language": t.language,
                "title": t.title,
                "slug": t.slug,
                "version": t.version,
                "updated_at": t.updated_at,
            }
            for t in translations
        ],
        "source_case": article.source_case.number if article.source_case_id else None,
        "source_activity": article.source_activity_id,
        "created_by": user_ref(article.created_by),
        "created_at": article.created_at,
        "updated_at": article.updated_at,
        "published_at": article.published_at,
        "public_url": _public_url(request, access, article, original) if original else None,
    }


def translation_out(request, access, article, t) -> dict:
    return {
        "language": t.language,
        "title": t.title,
        "body": t.body,
        "body_html": str(render_markdown(t.body)),
        "slug": t.slug,
        "version": t.version,
        "updated_by": user_ref(t.updated_by),
        "updated_at": t.updated_at,
        "public_url": _public_url(request, access, article, t),
    }


def version_out(v) -> dict:
    return {
        "number": v.number,
        "title": v.title,
        "body": v.body,
        "author": user_ref(v.author),
        "created_at": v.created_at,
        "restored_from": v.restored_from,
        "note": v.note,
    }


def category_out(c, depth: int) -> dict:
    return {
        "id": c.pk,
        "name": c.name,
        "names": c.names or {},
        "parent": c.parent_id,
        "position": c.position,
        "depth": depth,
        "article_count": getattr(c, "article_count", 0),
    }


def _reload(access, article_id):
    return selectors.article_get(access, article_id)


# -- articles -------------------------------------------------------------------------------


@router.get(
    f"{WS}/articles",
    response={200: list[ArticleOut], **ERRORS},
    summary="Articles (use_care: published ones; manage_resources: all), recently updated first",
)
def article_list(request, workspace: str, filters: Query[ArticleListQuery]):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    params = {
        k: str(v)
        for k, v in filters.dict().items()
        if k not in ("limit", "offset") and v not in (None, "")
    }
    found = selectors.article_filters(access, params)
    if found.errors:
        raise FieldErrors(found.errors)
    qs = selectors.article_list(access, found).select_related("source_case")
    page = qs[filters.offset : filters.offset + filters.limit]
    return [article_out(request, access, a) for a in page]


@router.post(
    f"{WS}/articles",
    response={201: ArticleOut, **ERRORS},
    summary="Write an article (manage_resources): its first translation and version 1",
)
def article_create(request, workspace: str, payload: ArticleIn):
    access = api_access(request, workspace, require=Perm.MANAGE_RESOURCES)
    data = payload.dict()
    draft = None
    if data["source_case"] is not None:
        draft = selectors.draft_from_case(access, data["source_case"])
    elif data["source_activity"] is not None:
        draft = selectors.draft_from_activity(access, data["source_activity"])
    title = data["title"] if data["title"] is not None else (draft.title if draft else "")
    body = data["body"] if data["body"] is not None else (draft.body if draft else "")
    language = data["language"] or (draft.language if draft else "en")
    article = services.article_create(
        access=access,
        title=title,
        body=body,
        language=language,
        category=data["category"],
        tags=data["tags"],
        audience=data["audience"],
        status=data["status"],
        note=data["note"],
        source_case=draft.source_case if draft else None,
        source_activity=draft.source_activity if draft else None,
    )
    return Status(201, article_out(request, access, _reload(access, article.pk)))


@router.get(f"{ART}", response={200: ArticleOut, **ERRORS}, summary="One article")
def article_get(request, workspace: str, article_id: int):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    return article_out(request, access, selectors.article_get(access, article_id))


@router.patch(
    f"{ART}",
    response={200: ArticleOut, **ERRORS},
    summary="Change an article's category, tags, audience or status (manage_resources)",
    description="Only the fields sent. status=published publishes it (published_at set).",
)
def article_update(request, workspace: str, article_id: int, payload: ArticlePatch):
    access = api_access(request, workspace, require=Perm.MANAGE_RESOURCES)
    article = selectors.article_get(access, article_id)
    data = payload.dict(exclude_unset=True)
    for key in ("tags", "audience", "status"):
        if key in data and data[key] is None:
            data.pop(key)
    services.article_update(access=access, article=article, **data)
    return article_out(request, access, _reload(access, article_id))


# -- translations and versions --------------------------------------------------------------


@router.get(
    f"{ART}/translations",
    response={200: list[ArticleTranslationOut], **ERRORS},
    summary="An article's translations",
)
def translation_list(request, workspace: str, article_id: int):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    article = selectors.article_get(access, article_id)
    return [translation_out(request, access, article, t) for t in article.translations.all()]


@router.post(
    f"{ART}/translations",
    response={201: ArticleTranslationOut, **ERRORS},
    summary="Add a translation (manage_resources)",
)
def translation_create(request, workspace: str, article_id: int, payload: ArticleTranslationIn):
    access = api_access(request, workspace, require=Perm.MANAGE_RESOURCES)
    article = selectors.article_get(access, article_id)
    data = payload.dict()
    t = services.translation_save(
        access=access,
        article=article,
        language=data["language"],
        title=data["title"],
        body=data["body"],
        note=data["note"],
        slug=data["slug"],
        new=True,
    )
    return Status(201, translation_out(request, access, article, t))


@router.get(
    f"{ART}/translations/{{language}}",
    response={200: ArticleTranslationOut, **ERRORS},
    summary="One translation",
)
def translation_get(request, workspace: str, article_id: int, language: str):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    article = selectors.article_get(access, article_id)
    return translation_out(request, access, article, selectors.translation_get(article, language))


@router.put(
    f"{ART}/translations/{{language}}",
    response={200: ArticleTranslationOut, **ERRORS},
    summary="Edit a translation (manage_resources): a new version when the title or body changes",
)
def translation_update(
    request, workspace: str, article_id: int, language: str, payload: ArticleTranslationPut
):
    access = api_access(request, workspace, require=Perm.MANAGE_RESOURCES)
    article = selectors.article_get(access, article_id)
    current = selectors.translation_get(article, language)
    data = payload.dict()
    t = services.translation_save(
        access=access,
        article=article,
        language=current.language,
        title=data["title"] if data["title"] is not None else services.UNSET,
        body=data["body"] if data["body"] is not None else services.UNSET,
        note=data["note"],
        slug=data["slug"],
        renew_slug=data["renew_slug"],
        new=False,
    )
    return translation_out(request, access, article, t)


@router.get(
    f"{ART}/translations/{{language}}/versions",
    response={200: list[ArticleVersionOut], **ERRORS},
    summary="A translation's versions, newest first",
)
def version_list(request, workspace: str, article_id: int, language: str):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    article = selectors.article_get(access, article_id)
    t = selectors.translation_get(article, language)
    return [version_out(v) for v in selectors.versions_of(t)]


@router.get(
    f"{ART}/translations/{{language}}/versions/{{number}}",
    response={200: ArticleVersionOut, **ERRORS},
    summary="One version",
)
def version_get(request, workspace: str, article_id: int, language: str, number: int):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    article = selectors.article_get(access, article_id)
    t = selectors.translation_get(article, language)
    return version_out(selectors.version_get(t, number))


@router.post(
    f"{ART}/translations/{{language}}/versions/{{number}}/restore",
    response={201: ArticleVersionOut, **ERRORS},
    summary="Restore a version (manage_resources): a new version copying it",
)
def version_restore(
    request,
    workspace: str,
    article_id: int,
    language: str,
    number: int,
    payload: ArticleRestoreIn | None = None,
):
    access = api_access(request, workspace, require=Perm.MANAGE_RESOURCES)
    article = selectors.article_get(access, article_id)
    t = selectors.translation_get(article, language)
    old = selectors.version_get(t, number)
    restored = services.version_restore(
        access=access, translation=t, version=old, note=payload.note if payload else ""
    )
    return Status(201, version_out(restored))


# -- categories and tags --------------------------------------------------------------------


@router.get(
    f"{WS}/article-categories",
    response={200: list[ArticleCategoryOut], **ERRORS},
    tags=["article categories"],
    summary="The category tree, parents before their children",
)
def category_list(request, workspace: str):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    return [category_out(c, depth) for c, depth in selectors.category_tree(access)]


@router.post(
    f"{WS}/article-categories",
    response={201: ArticleCategoryOut, **ERRORS},
    tags=["article categories"],
    summary="Create a category (manage_resources), last among its siblings",
)
def category_create(request, workspace: str, payload: ArticleCategoryIn):
    access = api_access(request, workspace, require=Perm.MANAGE_RESOURCES)
    c = services.category_create(access=access, **payload.dict())
    return Status(201, _category_in_tree(access, c.pk))


def _category_in_tree(access, pk) -> dict:
    for c, depth in selectors.category_tree(access):
        if c.pk == pk:
            return category_out(c, depth)
    raise AssertionError("a category just written is in its tree")


@router.patch(
    f"{WS}/article-categories/{{category_id}}",
    response={200: ArticleCategoryOut, **ERRORS},
    tags=["article categories"],
    summary="Rename, move or reorder a category (manage_resources; only the fields sent)",
)
def category_update(request, workspace: str, category_id: int, payload: ArticleCategoryPatch):
    access = api_access(request, workspace, require=Perm.MANAGE_RESOURCES)
    category = selectors.category_get(access, category_id)
    data = payload.dict(exclude_unset=True)
    for key in ("name", "names", "position"):
        if key in data and data[key] is None:
            data.pop(key)
    services.category_update(access=access, category=category, **data)
    return _category_in_tree(access, category.pk)


@router.delete(
    f"{WS}/article-categories/{{category_id}}",
    response={204: None, **ERRORS},
    tags=["article categories"],
    summary="Delete an empty category (manage_resources)",
)
def category_delete(request, workspace: str, category_id: int):
    access = api_access(request, workspace, require=Perm.MANAGE_RESOURCES)
    services.category_delete(access=access, category=selectors.category_get(access, category_id))
    return Status(204, None)


@router.get(
    f"{WS}/article-tags",
    response={200: list[ArticleTagOut], **ERRORS},
    summary="The workspace's article tags",
)
def tag_list(request, workspace: str):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    return [{"id": t.pk, "name": t.name} for t in selectors.tags_list(access)]
