"""Resource center pages: the center (category tree, filtered list), an article (its
translation in the reader's language, versions, restore), the editor (a new article, an edit
or a new translation, with a live Markdown preview) and the categories.

Everyone with use_care reads published articles; manage_resources writes and sees drafts.
Thin: the rules live in resources.services / selectors."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID
from caredesk.core.i18n import LANGUAGE_CHOICES, supported
from caredesk.core.markdown import render_markdown
from caredesk.resources import selectors, services
from caredesk.resources.models import ArticleStatus, Audience
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


def _common(access) -> dict:
    return {
        "can_write": selectors.can_write(access),
        "languages": LANGUAGE_CHOICES,
        "language_names": LANGUAGE_NAMES,
        "statuses": ArticleStatus.choices,
        "audiences": Audience.choices,
    }


def _tree(access):
    language = get_language()
    return [
        (c, depth, selectors.category_label(c, language), "\u2003" * depth)
        for c, depth in selectors.category_tree(access)
    ]


def public_url(request, access, translation) -> str:
    site = f"{access.workspace.organization.slug}.{access.workspace.slug}"
    return request.build_absolute_uri(reverse("help_article", args=[site, translation.slug]))


@require_GET
@workspace_view(Perm.USE_CARE)
def resource_center(request, access):
    filters = selectors.article_filters(access, request.GET)
    page = Paginator(selectors.article_list(access, filters), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    language = get_language()
    rows = [
        (
            a,
            selectors.translation_shown(a, language),
            [
                (t.language, LANGUAGE_NAMES.get(t.language, t.language))
                for t in a.translations.all()
            ],
        )
        for a in page.object_list
    ]
    params = filters.as_params()
    context = {
        **_common(access),
        "filters": filters,
        "params": params,
        "query": urlencode(params),
        "page": page,
        "rows": rows,
        "tree": _tree(access),
        "tags": selectors.tags_list(access),
    }
    return render_ws(
        request,
        access,
        "resources/center.html",
        context,
        active="resources",
        status=INVALID if filters.errors else 200,
    )


@require_GET
@workspace_view(Perm.USE_CARE)
def article_detail(request, access, article):
    return _article_page(request, access, selectors.article_get(access, article))


def _article_page(request, access, article, errors=None, status=200):
    language = request.GET.get("lang") or request.POST.get("lang") or get_language()
    translation = selectors.translation_shown(article, language)
    versions = selectors.versions_of(translation) if translation else []
    shown_version = None
    if (number := request.GET.get("version")) and translation:
        shown_version = selectors.version_get(translation, number)
    content = shown_version or translation
    is_public = article.audience == Audience.PUBLIC and article.status == ArticleStatus.PUBLISHED
    context = {
        **_common(access),
        "article": article,
        "translation": translation,
        "translations": list(article.translations.all()),
        "missing_languages": [
            (code, name)
            for code, name in LANGUAGE_CHOICES
            if code not in {t.language for t in article.translations.all()}
        ],
        "content": content,
        "html": render_markdown(content.body if content else ""),
        "shown_version": shown_version,
        "versions": versions,
        "category_label": selectors.category_label(article.category, get_language()),
        "public_url": public_url(request, access, translation) if is_public and translation else "",
        "log": selectors.article_log(article) if selectors.can_write(access) else [],
        "errors": errors or {},
    }
    return render_ws(
        request, access, "resources/article.html", context, active="resources", status=status
    )


def _posted(request) -> dict:
    p = request.POST
    return {
        "title": p.get("title", ""),
        "body": p.get("body", ""),
        "language": p.get("language", ""),
        "category": p.get("category", ""),
        "tags": p.get("tags", ""),
        "audience": p.get("audience", Audience.INTERNAL),
        "status": p.get("status", ArticleStatus.DRAFT),
        "note": p.get("note", ""),
    }


def _editor(request, access, context, status=200):
    context = {**_common(access), "tree": _tree(access), **context}
    return render_ws(
        request, access, "resources/editor.html", context, active="resources", status=status
    )


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.MANAGE_RESOURCES)
def article_create(request, access):
    """A new article; ?case=<number> / ?activity=<id> prefill it from a solved ticket or an
    ended conversation, ?plan_task=<id>&title=… write it for an action plan's task."""
    source = request.POST if request.method == "POST" else request.GET
    sources = {k: source.get(k, "") for k in ("case", "activity", "plan_task")}
    draft = None
    try:
        if sources["case"]:
            draft = selectors.draft_from_case(access, sources["case"])
        elif sources["activity"]:
            draft = selectors.draft_from_activity(access, sources["activity"])
    except FieldErrors as e:
        return _editor(
            request,
            access,
            {"mode": "create", "v": _posted(request), "errors": e.errors, "sources": sources},
            status=INVALID,
        )
    if request.method == "GET":
        v = {
            "title": draft.title if draft else request.GET.get("title", ""),
            "body": draft.body if draft else "",
            "language": draft.language if draft else supported(get_language()) or "en",
            "audience": Audience.INTERNAL,
            "status": ArticleStatus.DRAFT,
        }
        return _editor(
            request, access, {"mode": "create", "v": v, "errors": {}, "sources": sources}
        )
    v = _posted(request)
    try:
        article = services.article_create(
            access=access,
            title=v["title"],
            body=v["body"],
            language=v["language"],
            category=v["category"] or None,
            tags=v["tags"],
            audience=v["audience"],
            status=v["status"],
            note=v["note"],
            source_case=draft.source_case if draft else None,
            source_activity=draft.source_activity if draft else None,
            params={k: val for k, val in sources.items() if val},
        )
    except FieldErrors as e:
        return _editor(
            request,
            access,
            {"mode": "create", "v": v, "errors": e.errors, "sources": sources},
            status=INVALID,
        )
    return redirect("article_detail", access.workspace.slug, article.pk)


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.MANAGE_RESOURCES)
def article_edit(request, access, article):
    """Edit the article and its translation in ?lang= (the original by default), or, with
    ?new=1, add a translation."""
    article = selectors.article_get(access, article)
    adding = request.GET.get("new") == "1"
    translation = None
    if not adding:
        translation = selectors.translation_get(
            article, request.GET.get("lang") or article.language
        )
    tags = ", ".join(t.name for t in article.tags.all())
    base = {
        "mode": "translate" if adding else "edit",
        "article": article,
        "translation": translation,
        "missing_languages": [
            (code, name)
            for code, name in LANGUAGE_CHOICES
            if code not in {t.language for t in article.translations.all()}
        ],
    }
    if request.method == "GET":
        v = {
            "title": translation.title if translation else "",
            "body": translation.body if translation else "",
            "language": translation.language if translation else request.GET.get("language", ""),
            "category": str(article.category_id or ""),
            "tags": tags,
            "audience": article.audience,
            "status": article.status,
        }
        return _editor(request, access, {**base, "v": v, "errors": {}})
    v = _posted(request)
    language = translation.language if translation else v["language"]
    try:
        if adding:
            translation = services.translation_save(
                access=access,
                article=article,
                language=language,
                title=v["title"],
                body=v["body"],
                note=v["note"],
                new=True,
            )
        else:
            translation = services.article_save(
                access=access,
                article=article,
                language=language,
                title=v["title"],
                body=v["body"],
                note=v["note"],
                renew_slug=request.POST.get("renew_slug") == "1",
                category=v["category"] or None,
                tags=v["tags"],
                audience=v["audience"],
                status=v["status"],
            )
    except FieldErrors as e:
        v["language"] = language
        return _editor(request, access, {**base, "v": v, "errors": e.errors}, status=INVALID)
    url = reverse("article_detail", args=[access.workspace.slug, article.pk])
    return redirect(f"{url}?lang={translation.language}")


@require_POST
@workspace_view(Perm.MANAGE_RESOURCES)
def article_restore(request, access, article):
    """Restore a version (`version`: its id) of the translation in `lang`."""
    article = selectors.article_get(access, article)
    translation = selectors.translation_get(article, request.POST.get("lang", ""))
    url = reverse("article_detail", args=[access.workspace.slug, article.pk])
    try:
        restored = services.version_restore(
            access=access,
            translation=translation,
            version=request.POST.get("version"),
            note=request.POST.get("note", ""),
        )
    except FieldErrors as e:
        return _article_page(request, access, article, e.errors, status=INVALID)
    messages.success(
        request,
        _("Version %(old)s restored as version %(new)s.")
        % {"old": restored.restored_from, "new": restored.number},
    )
    return redirect(f"{url}?lang={translation.language}")


@require_POST
@workspace_view(Perm.MANAGE_RESOURCES)
def article_status(request, access, article):
    """Publish, archive or return to draft, from the article's page."""
    article = selectors.article_get(access, article)
    try:
        services.article_update(access=access, article=article, status=request.POST.get("status"))
    except FieldErrors as e:
        return _article_page(request, access, article, e.errors, status=INVALID)
    return redirect("article_detail", access.workspace.slug, article.pk)


@require_POST
@workspace_view(Perm.MANAGE_RESOURCES)
def article_preview(request, access):
    """The editor's live preview (htmx): the body as the article page will show it."""
    body = request.POST.get("body", "")
    return render_ws(
        request,
        access,
        "resources/_preview.html",
        {"html": render_markdown(body[: services.MAX_ARTICLE_BODY])},
    )


# -- categories -----------------------------------------------------------------------------


def _categories_page(request, access, errors=None, v=None, status=200):
    context = {
        **_common(access),
        "tree": _tree(access),
        "errors": errors or {},
        "v": v or {},
        "category_choices": _tree(access),
    }
    return render_ws(
        request, access, "resources/categories.html", context, active="resources", status=status
    )


def _names(post) -> dict:
    return {code: post.get(f"name_{code}", "") for code, _n in LANGUAGE_CHOICES if code != "en"}


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.MANAGE_RESOURCES)
def article_categories(request, access):
    if request.method == "GET":
        return _categories_page(request, access)
    v = {"name": request.POST.get("name", ""), "parent": request.POST.get("parent", "")}
    try:
        services.category_create(
            access=access, name=v["name"], parent=v["parent"] or None, names=_names(request.POST)
        )
    except FieldErrors as e:
        return _categories_page(request, access, e.errors, v, status=INVALID)
    messages.success(request, _("Category “%(name)s” created.") % {"name": v["name"].strip()})
    return redirect("article_categories", access.workspace.slug)


@require_POST
@workspace_view(Perm.MANAGE_RESOURCES)
def article_category_change(request, access, category):
    """Rename (and names per language), move under another parent, move up or down, or
    delete an empty category."""
    category = selectors.category_get(access, category)
    post = request.POST
    try:
        if post.get("action") == "delete":
            services.category_delete(access=access, category=category)
        elif post.get("action") in ("up", "down"):
            step = -1 if post["action"] == "up" else 1
            services.category_update(
                access=access, category=category, position=max(0, category.position + step)
            )
        else:
            services.category_update(
                access=access,
                category=category,
                name=post.get("name", ""),
                names=_names(post),
                parent=post.get("parent") or None,
            )
    except FieldErrors as e:
        errors = {f"{category.pk}.{k}": m for k, m in e.errors.items()}
        return _categories_page(request, access, errors, status=INVALID)
    return redirect("article_categories", access.workspace.slug)
