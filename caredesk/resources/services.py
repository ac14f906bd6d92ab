"""Writing the resource center: articles, their translations and versions, categories, tags.

Every write needs manage_resources and checks all its input before writing anything
(FieldErrors naming the field). The content history is the versions (each edit of a
translation's title or body is a new ArticleVersion); the article's own fields (status,
audience, category, tags) are audited in caredesk.audit as object "article"."""

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from caredesk.audit.services import audit_changes
from caredesk.core.errors import FieldErrors
from caredesk.core.i18n import LANGUAGE_CODES, supported
from caredesk.core.limits import text_error
from caredesk.resources import hooks
from caredesk.resources.models import (
    Article,
    ArticleStatus,
    ArticleTag,
    ArticleTranslation,
    ArticleVersion,
    Audience,
    Category,
)
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

MAX_TITLE = 200
MAX_ARTICLE_BODY = 100_000  # a long how-to with tables fits; a pasted book does not
MAX_NOTE = 200
MAX_SLUG = 200  # of the 220 stored: room for a "-12" suffix
MAX_TAG = 60
MAX_TAGS = 20
MAX_CATEGORY_NAME = 120
MAX_CATEGORY_DEPTH = 4

UNSET = object()


# -- checking input -------------------------------------------------------------------------


def _title(value, errors: dict, field: str = "title") -> str:
    if error := text_error(value, MAX_TITLE):
        errors[field] = error
        return ""
    value = " ".join(value.split())
    if not value:
        errors[field] = _("A title is required.")
    return value


def _body(value, errors: dict) -> str:
    if value is None:
        return ""
    if error := text_error(value, MAX_ARTICLE_BODY):
        errors["body"] = error
        return ""
    return value.replace("\r\n", "\n").strip("\n")


def _note(value, errors: dict) -> str:
    if value is None:
        return ""
    if error := text_error(value, MAX_NOTE):
        errors["note"] = error
        return ""
    return " ".join(value.split())


def _language(value, errors: dict, field: str = "language") -> str:
    code = supported(value) if isinstance(value, str) else None
    if code is None:
        errors[field] = _("Unsupported language %(lang)s; one of: %(langs)s") % {
            "lang": repr(value),
            "langs": ", ".join(LANGUAGE_CODES),
        }
        return ""
    return code


def _choice(value, choices, field: str, errors: dict) -> str:
    if value not in choices.values:
        errors[field] = _("Unknown %(field)s %(value)s; one of: %(choices)s") % {
            "field": field,
            "value": repr(value),
            "choices": ", ".join(choices.values),
        }
        return ""
    return value


def _category(access: Access, value, errors: dict, field: str = "category") -> Category | None:
    if value in (None, ""):
        return None
    if isinstance(value, Category):
        value = value.pk
    try:
        pk = int(value)
    except (TypeError, ValueError):
        pk = 0
    found = (
        Category.objects.filter(workspace=access.workspace, pk=pk).first()
        if 0 < pk <= 2**63 - 1
        else None
    )
    if found is None:
        errors[field] = _("No such category in this workspace.")
    return found


def _tag_names(value, errors: dict) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        errors["tags"] = _("A list of tag names.")
        return []
    names, seen = [], set()
    for name in value:
        if error := text_error(name, MAX_TAG):
            errors["tags"] = error
            return []
        name = " ".join(name.split())
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    if len(names) > MAX_TAGS:
        errors["tags"] = _("At most %(n)s tags.") % {"n": MAX_TAGS}
        return []
    return names


def _tags(access: Access, names: list[str]) -> list[ArticleTag]:
    """The workspace's tags of these names (case-insensitive), created as needed."""
    out = []
    for name in names:
        tag = ArticleTag.objects.filter(workspace=access.workspace, name__iexact=name).first()
        if tag is None:
            tag = ArticleTag.objects.create(workspace=access.workspace, name=name)
        out.append(tag)
    return out


def _slug_taken(workspace_id: int, slug: str, translation: ArticleTranslation | None) -> bool:
    qs = ArticleTranslation.objects.filter(workspace_id=workspace_id, slug=slug)
    if translation is not None:
        qs = qs.exclude(pk=translation.pk)
    return qs.exists()


def unique_slug(workspace_id: int, title: str, translation=None) -> str:
    """A slug of the title (Unicode letters kept: Bulgarian titles stay Bulgarian), free in
    the workspace: "returns", "returns-2", "returns-3"…"""
    base = slugify(title, allow_unicode=True)[:MAX_SLUG].strip("-") or "article"
    slug, n = base, 1
    while _slug_taken(workspace_id, slug, translation):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _given_slug(access: Access, value, translation, errors: dict) -> str:
    if error := text_error(value, MAX_SLUG):
        errors["slug"] = error
        return ""
    slug = slugify(value, allow_unicode=True).strip("-")
    if not slug:
        errors["slug"] = _("A slug is made of letters, digits and hyphens.")
    elif _slug_taken(access.workspace.pk, slug, translation):
        errors["slug"] = _("Another article already has this address.")
    return slug


def _audit(access: Access, article: Article, action: str, changes) -> None:
    audit_changes(
        workspace=access.workspace, obj=article, actor=access.user, action=action, changes=changes
    )


def _category_label(category: Category | None) -> str:
    return category.name if category else ""


# -- articles -------------------------------------------------------------------------------


def article_create(
    *,
    access: Access,
    title,
    body="",
    language="en",
    category=None,
    tags=None,
    audience=Audience.INTERNAL,
    status=ArticleStatus.DRAFT,
    note="",
    source_case=None,
    source_activity=None,
    params: Mapping[str, str] | None = None,
) -> Article:
    """A new article in `language`, its first translation and version 1. `source_case` /
    `source_activity`: the solved ticket or ended conversation it was written from (checked
    by the caller against what the user sees). `params`: the request's, for the
    article_created hooks (e.g. the action plan task it was written for)."""
    access.require(Perm.MANAGE_RESOURCES)
    errors: dict[str, str] = {}
    title = _title(title, errors)
    body = _body(body, errors)
    note = _note(note, errors)
    language = _language(language, errors)
    found_category = _category(access, category, errors)
    tag_names = _tag_names(tags, errors)
    audience = _choice(audience, Audience, "audience", errors)
    status = _choice(status, ArticleStatus, "status", errors)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        article = Article.objects.create(
            workspace=access.workspace,
            category=found_category,
            audience=audience,
            status=status,
            language=language,
            source_case=source_case,
            source_activity=source_activity,
            created_by=access.user,
            published_at=timezone.now() if status == ArticleStatus.PUBLISHED else None,
        )
        article.tags.set(_tags(access, tag_names))
        _new_translation(access, article, language, title, body, note)
        _audit(
            access,
            article,
            "created",
            [
                ("status", "", status),
                ("audience", "", audience),
                ("language", "", language),
                *([("category", "", found_category.name)] if found_category else []),
                *([("tags", "", ", ".join(tag_names))] if tag_names else []),
            ],
        )
        hooks.run_article_created(article, params, access=access)
    return article


def _new_translation(access, article, language, title, body, note) -> ArticleTranslation:
    translation = ArticleTranslation.objects.create(
        article=article,
        workspace_id=article.workspace_id,
        language=language,
        title=title,
        body=body,
        slug=unique_slug(article.workspace_id, title),
        version=1,
        updated_by=access.user,
    )
    ArticleVersion.objects.create(
        translation=translation, number=1, title=title, body=body, author=access.user, note=note
    )
    return translation


def _article_fields(access, errors, category, tags, audience, status):
    values = {}
    if category is not UNSET:
        values["category"] = _category(access, category, errors)
    if audience is not UNSET:
        values["audience"] = _choice(audience, Audience, "audience", errors)
    if status is not UNSET:
        values["status"] = _choice(status, ArticleStatus, "status", errors)
    tag_names = _tag_names(tags, errors) if tags is not UNSET else None
    return values, tag_names


def article_update(
    *,
    access: Access,
    article: Article,
    category=UNSET,
    tags=UNSET,
    audience=UNSET,
    status=UNSET,
) -> Article:
    """Change the article's own fields given (the others stay); each change audited."""
    access.require(Perm.MANAGE_RESOURCES)
    errors: dict[str, str] = {}
    values, tag_names = _article_fields(access, errors, category, tags, audience, status)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        article = Article.objects.select_for_update().select_related("category").get(pk=article.pk)
        changes = []
        if "category" in values and values["category"] != article.category:
            changes.append(
                ("category", _category_label(article.category), _category_label(values["category"]))
            )
            article.category = values["category"]
        for field in ("audience", "status"):
            if field in values and values[field] != getattr(article, field):
                changes.append((field, getattr(article, field), values[field]))
                setattr(article, field, values[field])
        if "status" in values and values["status"] == ArticleStatus.PUBLISHED:
            if any(f == "status" for f, _o, _n in changes):
                article.published_at = timezone.now()
        if tag_names is not None:
            old = sorted(t.name for t in article.tags.all())
            new_tags = _tags(access, tag_names)
            if sorted(t.name for t in new_tags) != old:
                article.tags.set(new_tags)
                changes.append(("tags", ", ".join(old), ", ".join(t.name for t in new_tags)))
        if changes:
            article.save()
            _audit(access, article, "updated", changes)
    return article


def article_save(
    *,
    access: Access,
    article: Article,
    language,
    title=UNSET,
    body=UNSET,
    note="",
    renew_slug: bool = False,
    category=UNSET,
    tags=UNSET,
    audience=UNSET,
    status=UNSET,
) -> ArticleTranslation:
    """The editor's save: the article's fields and its translation in `language` at once,
    every field checked before either is written."""
    access.require(Perm.MANAGE_RESOURCES)
    errors: dict[str, str] = {}
    _article_fields(access, errors, category, tags, audience, status)
    if title is not UNSET:
        _title(title, errors)
    if body is not UNSET:
        _body(body, errors)
    _note(note, errors)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        article_update(
            access=access,
            article=article,
            category=category,
            tags=tags,
            audience=audience,
            status=status,
        )
        return translation_save(
            access=access,
            article=article,
            language=language,
            title=title,
            body=body,
            note=note,
            renew_slug=renew_slug,
            new=False,
        )


def article_publish(*, access: Access, article: Article) -> Article:
    return article_update(access=access, article=article, status=ArticleStatus.PUBLISHED)


def article_archive(*, access: Access, article: Article) -> Article:
    return article_update(access=access, article=article, status=ArticleStatus.ARCHIVED)


# -- translations and versions --------------------------------------------------------------


def translation_save(
    *,
    access: Access,
    article: Article,
    language,
    title=UNSET,
    body=UNSET,
    note="",
    slug=UNSET,
    renew_slug: bool = False,
    new: bool | None = None,
) -> ArticleTranslation:
    """Add the translation in `language`, or edit it. An edit of the title or body is a new
    version (number + 1, its author and note); nothing changed, no version. The slug stays
    when the title changes, unless `renew_slug` (from the new title) or a `slug` is given.
    new=True: only add (a translation already there is refused); False: only edit."""
    access.require(Perm.MANAGE_RESOURCES)
    errors: dict[str, str] = {}
    language = _language(language, errors)
    note = _note(note, errors)
    existing = (
        ArticleTranslation.objects.filter(article=article, language=language).first()
        if language
        else None
    )
    if language and existing is not None and new is True:
        errors["language"] = _("This article already has a translation in this language.")
    if language and existing is None and new is False:
        errors["language"] = _("This article has no translation in this language.")
    if existing is None and title is UNSET:
        errors["title"] = _("A title is required.")
    new_title = _title(title, errors) if title is not UNSET else None
    new_body = _body(body, errors) if body is not UNSET else None
    new_slug = _given_slug(access, slug, existing, errors) if slug not in (UNSET, None) else None
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        Article.objects.select_for_update().filter(pk=article.pk).first()
        if existing is None:
            translation = _new_translation(
                access, article, language, new_title, new_body or "", note
            )
            if new_slug:
                translation.slug = new_slug
                translation.save(update_fields=["slug"])
            Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())
            _audit(access, article, "translation_added", [("translation", "", language)])
            return translation
        translation = ArticleTranslation.objects.select_for_update().get(pk=existing.pk)
        title_now = new_title if new_title is not None else translation.title
        body_now = new_body if new_body is not None else translation.body
        fields = []
        if (title_now, body_now) != (translation.title, translation.body):
            translation.version = _next_number(translation)
            translation.title, translation.body = title_now, body_now
            ArticleVersion.objects.create(
                translation=translation,
                number=translation.version,
                title=title_now,
                body=body_now,
                author=access.user,
                note=note,
            )
            fields += ["title", "body", "version", "updated_by"]
            translation.updated_by = access.user
        slug_now = new_slug or (
            unique_slug(article.workspace_id, title_now, translation) if renew_slug else None
        )
        if slug_now and slug_now != translation.slug:
            _audit(
                access,
                article,
                "slug_changed",
                [(f"slug ({language})", translation.slug, slug_now)],
            )
            translation.slug = slug_now
            fields.append("slug")
        if fields:
            translation.save(update_fields=[*fields, "updated_at"])
            Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())
    return translation


def _next_number(translation: ArticleTranslation) -> int:
    top = translation.versions.aggregate(n=Max("number"))["n"] or 0
    return top + 1


def version_restore(
    *, access: Access, translation: ArticleTranslation, version, note=""
) -> ArticleVersion:
    """A new version copying an older one (its title and body), `restored_from` its number.
    `version`: an ArticleVersion or its id; one of another translation is refused."""
    access.require(Perm.MANAGE_RESOURCES)
    errors: dict[str, str] = {}
    note = _note(note, errors)
    pk = version.pk if isinstance(version, ArticleVersion) else version
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    old = (
        ArticleVersion.objects.filter(translation=translation, pk=pk).first()
        if 0 < pk <= 2**63 - 1
        else None
    )
    if old is None:
        errors["version"] = _("No such version of this translation.")
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        current = ArticleTranslation.objects.select_for_update().get(pk=translation.pk)
        if old.number == current.version:
            raise FieldErrors.one("version", _("This is already the current version."))
        number = _next_number(current)
        restored = ArticleVersion.objects.create(
            translation=current,
            number=number,
            title=old.title,
            body=old.body,
            author=access.user,
            restored_from=old.number,
            note=note or _("Restored version %(n)s") % {"n": old.number},
        )
        current.title, current.body, current.version = old.title, old.body, number
        current.updated_by = access.user
        current.save(update_fields=["title", "body", "version", "updated_by", "updated_at"])
        Article.objects.filter(pk=current.article_id).update(updated_at=timezone.now())
        translation.title, translation.body, translation.version = old.title, old.body, number
    return restored


# -- categories -----------------------------------------------------------------------------


def _category_name(value, errors: dict) -> str:
    if error := text_error(value, MAX_CATEGORY_NAME):
        errors["name"] = error
        return ""
    value = " ".join(value.split())
    if not value:
        errors["name"] = _("A name is required.")
    return value


def _category_names(value, errors: dict) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors["names"] = _("An object: language → name.")
        return {}
    out = {}
    for lang, name in value.items():
        code = supported(lang) if isinstance(lang, str) else None
        if code is None:
            errors["names"] = _("Unsupported language %(lang)s; one of: %(langs)s") % {
                "lang": repr(lang),
                "langs": ", ".join(LANGUAGE_CODES),
            }
            return {}
        if error := text_error(name, MAX_CATEGORY_NAME):
            errors["names"] = f"{code}: {error}"
            return {}
        if name.strip():
            out[code] = " ".join(name.split())
    return out


def _depth(category: Category | None) -> int:
    n = 0
    while category is not None:
        n += 1
        category = category.parent
    return n


def _subtree_height(category: Category) -> int:
    children = list(Category.objects.filter(parent=category))
    return 1 + max((_subtree_height(c) for c in children), default=0)


def _parent(access: Access, value, category: Category | None, errors: dict) -> Category | None:
    parent = _category(access, value, errors, field="parent")
    if parent is None:
        return None
    node = parent
    while node is not None:
        if category is not None and node.pk == category.pk:
            errors["parent"] = _("A category cannot be placed under itself or its subcategories.")
            return None
        node = node.parent
    height = _subtree_height(category) if category is not None else 1
    if _depth(parent) + height > MAX_CATEGORY_DEPTH:
        errors["parent"] = _("Categories nest at most %(n)s levels deep.") % {
            "n": MAX_CATEGORY_DEPTH
        }
    return parent


def _name_free(access, name, parent, category, errors) -> None:
    if "name" in errors or "parent" in errors:
        return
    clash = Category.objects.filter(workspace=access.workspace, parent=parent, name__iexact=name)
    if category is not None:
        clash = clash.exclude(pk=category.pk)
    if clash.exists():
        errors["name"] = _("A category of this name is already there.")


def category_create(*, access: Access, name, parent=None, names=None) -> Category:
    access.require(Perm.MANAGE_RESOURCES)
    errors: dict[str, str] = {}
    name = _category_name(name, errors)
    names = _category_names(names, errors)
    found_parent = _parent(access, parent, None, errors)
    _name_free(access, name, found_parent, None, errors)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        last = Category.objects.filter(workspace=access.workspace, parent=found_parent).aggregate(
            n=Max("position")
        )["n"]
        try:
            with transaction.atomic():
                category = Category.objects.create(
                    workspace=access.workspace,
                    parent=found_parent,
                    name=name,
                    names=names,
                    position=0 if last is None else last + 1,
                )
        except IntegrityError:
            raise FieldErrors.one("name", _("A category of this name is already there.")) from None
        audit_changes(
            workspace=access.workspace,
            obj=category,
            actor=access.user,
            action="created",
            changes=[("name", "", name)],
        )
    return category


def category_update(
    *, access: Access, category: Category, name=UNSET, names=UNSET, parent=UNSET, position=UNSET
) -> Category:
    """Rename, name per language, move under another parent (or to the top: parent None),
    and/or move to `position` among its siblings (0 first)."""
    access.require(Perm.MANAGE_RESOURCES)
    errors: dict[str, str] = {}
    new_name = _category_name(name, errors) if name is not UNSET else category.name
    new_names = _category_names(names, errors) if names is not UNSET else None
    new_parent = (
        _parent(access, parent, category, errors) if parent is not UNSET else category.parent
    )
    if position is not UNSET and (
        isinstance(position, bool) or not isinstance(position, int) or position < 0
    ):
        errors["position"] = _("A whole number, 0 or more.")
    _name_free(access, new_name, new_parent, category, errors)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        changes = []
        if new_name != category.name:
            changes.append(("name", category.name, new_name))
            category.name = new_name
        if new_names is not None and new_names != category.names:
            changes.append(("names", _pairs(category.names), _pairs(new_names)))
            category.names = new_names
        moved = (new_parent.pk if new_parent else None) != category.parent_id
        if moved:
            changes.append(
                ("parent", _category_label(category.parent), _category_label(new_parent))
            )
            category.parent = new_parent
        category.save()
        if moved or position is not UNSET:
            siblings = [
                c
                for c in Category.objects.filter(
                    workspace=access.workspace, parent=category.parent
                ).exclude(pk=category.pk)
            ]
            at = len(siblings) if position is UNSET else min(position, len(siblings))
            if position is not UNSET and category.position != at:
                changes.append(("position", str(category.position), str(at)))
            siblings.insert(at, category)
            for i, c in enumerate(siblings):
                if c.position != i:
                    Category.objects.filter(pk=c.pk).update(position=i)
            category.position = at
        if changes:
            audit_changes(
                workspace=access.workspace,
                obj=category,
                actor=access.user,
                action="updated",
                changes=changes,
            )
    return category


def _pairs(names: dict) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted((names or {}).items()))


def category_delete(*, access: Access, category: Category) -> None:
    """Only an empty category: no articles and no subcategories."""
    access.require(Perm.MANAGE_RESOURCES)
    if category.children.exists():
        raise FieldErrors.one("category", _("Move or delete its subcategories first."))
    if category.articles.exists():
        raise FieldErrors.one("category", _("Move its articles to another category first."))
    with transaction.atomic():
        audit_changes(
            workspace=access.workspace,
            obj=category,
            actor=access.user,
            action="deleted",
            changes=[("name", category.name, "")],
        )
        category.delete()
