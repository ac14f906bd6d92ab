"""Reading the resource center: which articles a member sees, the list and its filters, the
translation to show, the category tree, versions, and the draft written from a solved case.

Readers (use_care) see the workspace's published articles, internal and public; writers
(manage_resources) see drafts and archived ones too. Outside the workspace nothing exists."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from caredesk.audit.models import AuditEntry
from caredesk.care import selectors as care_selectors
from caredesk.care.models import DONE_STATUSES, Case, CaseComment
from caredesk.core.errors import FieldErrors
from caredesk.core.i18n import LANGUAGE_CODES, supported
from caredesk.journey import selectors as journey_selectors
from caredesk.journey.models import Activity
from caredesk.resources.models import (
    Article,
    ArticleStatus,
    ArticleTag,
    ArticleTranslation,
    ArticleVersion,
    Audience,
    Category,
)
from caredesk.routing.models import ConversationStatus, Sender
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

MAX_ID = 2**63 - 1
PAGE_SIZE = 50
DRAFT_TITLE = 120  # a title made from a customer's message: its first words


def _pk(value) -> int | None:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk <= MAX_ID else None


def can_write(access: Access) -> bool:
    return access.has(Perm.MANAGE_RESOURCES)


def articles_visible(access: Access) -> QuerySet[Article]:
    qs = Article.objects.visible_to(access)
    return qs if can_write(access) else qs.filter(status=ArticleStatus.PUBLISHED)


def article_get(access: Access, article_id) -> Article:
    pk = _pk(article_id)
    article = (
        articles_visible(access)
        .filter(pk=pk)
        .select_related("category", "created_by", "source_case", "source_activity")
        .prefetch_related("tags", "translations__updated_by")
        .first()
        if pk
        else None
    )
    if article is None:
        raise Http404(_("No such article"))
    return article


def translation_get(article: Article, language) -> ArticleTranslation:
    code = supported(language) if isinstance(language, str) else None
    found = next((t for t in article.translations.all() if t.language == code), None)
    if found is None:
        raise Http404(_("No such translation"))
    return found


def translation_shown(article: Article, language: str | None) -> ArticleTranslation | None:
    """The translation in `language` (the reader's), else the one it was written in, else
    any."""
    translations = list(article.translations.all())
    code = supported(language)
    for wanted in (code, article.language):
        for t in translations:
            if t.language == wanted:
                return t
    return translations[0] if translations else None


def versions_of(translation: ArticleTranslation) -> list[ArticleVersion]:
    return list(translation.versions.select_related("author").order_by("-number"))


def version_get(translation: ArticleTranslation, number) -> ArticleVersion:
    pk = _pk(number)
    version = (
        translation.versions.select_related("author").filter(number=pk).first() if pk else None
    )
    if version is None:
        raise Http404(_("No such version"))
    return version


def article_log(article: Article) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(object_type="article", object_id=article.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


# -- the list -------------------------------------------------------------------------------


@dataclass
class ArticleFilters:
    category: Category | None = None
    status: str = ""
    audience: str = ""
    language: str = ""
    tag: ArticleTag | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def as_params(self) -> dict[str, str]:
        out = {
            "category": str(self.category.pk) if self.category else "",
            "status": self.status,
            "audience": self.audience,
            "language": self.language,
            "tag": self.tag.name if self.tag else "",
        }
        return {k: v for k, v in out.items() if v}


def article_filters(access: Access, params) -> ArticleFilters:
    """The list's filters from a query string; what names nothing is an error of its field
    (the API answers 400 with them; the page shows them and ignores the filter)."""
    f = ArticleFilters()
    if value := params.get("category"):
        pk = _pk(value)
        f.category = (
            Category.objects.filter(workspace=access.workspace, pk=pk).first() if pk else None
        )
        if f.category is None:
            f.errors["category"] = _("No such category in this workspace.")
    if value := params.get("status"):
        if value in ArticleStatus.values and (
            can_write(access) or value == ArticleStatus.PUBLISHED
        ):
            f.status = value
        else:
            f.errors["status"] = _("Unknown status %(value)s; one of: %(choices)s") % {
                "value": repr(value),
                "choices": ", ".join(
                    ArticleStatus.values if can_write(access) else [ArticleStatus.PUBLISHED]
                ),
            }
    if value := params.get("audience"):
        if value in Audience.values:
            f.audience = value
        else:
            f.errors["audience"] = _("Unknown audience %(value)s; one of: %(choices)s") % {
                "value": repr(value),
                "choices": ", ".join(Audience.values),
            }
    if value := params.get("language"):
        if code := supported(value):
            f.language = code
        else:
            f.errors["language"] = _("Unsupported language %(lang)s; one of: %(langs)s") % {
                "lang": repr(value),
                "langs": ", ".join(LANGUAGE_CODES),
            }
    if value := params.get("tag"):
        f.tag = ArticleTag.objects.filter(workspace=access.workspace, name__iexact=value).first()
        if f.tag is None:
            f.errors["tag"] = _("No such tag in this workspace.")
    return f


def _descendant_ids(category: Category) -> list[int]:
    ids, frontier = [category.pk], [category.pk]
    while frontier:
        frontier = list(
            Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        ids += frontier
    return ids


def article_list(access: Access, filters: ArticleFilters) -> QuerySet[Article]:
    """The articles the member sees under the filters (a category: it and its
    subcategories), most recently updated first, with what a row shows."""
    qs = articles_visible(access)
    if filters.category:
        qs = qs.filter(category_id__in=_descendant_ids(filters.category))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.audience:
        qs = qs.filter(audience=filters.audience)
    if filters.language:
        qs = qs.filter(translations__language=filters.language)
    if filters.tag:
        qs = qs.filter(tags=filters.tag)
    return (
        qs.select_related("category", "created_by")
        .prefetch_related(
            "tags",
            Prefetch("translations", queryset=ArticleTranslation.objects.order_by("language")),
        )
        .order_by("-updated_at", "-id")
    )


def tags_list(access: Access) -> list[ArticleTag]:
    return list(ArticleTag.objects.filter(workspace=access.workspace).order_by("name"))


# -- categories -----------------------------------------------------------------------------


def category_label(category: Category | None, language: str | None) -> str:
    if category is None:
        return ""
    return (category.names or {}).get(supported(language) or "", "") or category.name


def category_tree(access: Access) -> list[tuple[Category, int]]:
    """The workspace's categories, parents before their children (by position), with their
    depth (0 at the top) and `article_count` (of the articles the member sees, directly in
    it)."""
    visible = articles_visible(access).values("pk")
    categories = list(
        Category.objects.filter(workspace=access.workspace).annotate(
            article_count=Count("articles", filter=Q(articles__in=visible), distinct=True)
        )
    )
    children: dict[int | None, list[Category]] = {}
    for c in categories:
        children.setdefault(c.parent_id, []).append(c)
    out: list[tuple[Category, int]] = []

    def walk(parent_id, depth):
        for c in sorted(children.get(parent_id, []), key=lambda c: (c.position, c.name, c.pk)):
            out.append((c, depth))
            walk(c.pk, depth + 1)

    walk(None, 0)
    return out


def category_get(access: Access, category_id) -> Category:
    pk = _pk(category_id)
    category = Category.objects.filter(workspace=access.workspace, pk=pk).first() if pk else None
    if category is None:
        raise Http404(_("No such category"))
    return category


# -- an article from a solved case ----------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    title: str
    body: str
    language: str
    source_case: Case | None = None
    source_activity: Activity | None = None


def _body(problem: str, solution: str) -> str:
    return f"## {_('Problem')}\n\n{problem.strip()}\n\n## {_('Solution')}\n\n{solution.strip()}\n"


def _first_words(text: str, limit: int = DRAFT_TITLE) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(".,;:!?") + "…"


def _language_of(access: Access, *candidates) -> str:
    for c in candidates:
        if code := supported(c):
            return code
    return supported(access.workspace.language) or "en"


def _number(value, field_name: str) -> int:
    pk = _pk(value)
    if pk is None:
        raise FieldErrors.one(field_name, _("A number."))
    return pk


def _case_seen(access: Access, number: int) -> Case:
    """The ticket as its page would open it (care's rule), else 404."""
    if access.has(Perm.INBOX_ACCESS):
        return care_selectors.case_get_or_worked(access, number)
    case = care_selectors.case_worked_by(access, number)
    if case is None:
        raise Http404("No such ticket")
    return case


def _resolving_comment(case: Case) -> str:
    """The comment that came with the last move to resolved or closed (a case update always
    carries one), else the last comment."""
    done = (
        AuditEntry.objects.filter(
            object_type="case", object_id=case.pk, field="status", new_value__in=DONE_STATUSES
        )
        .order_by("-created_at", "-id")
        .first()
    )
    comments = CaseComment.objects.filter(case=case).order_by("-created_at", "-id")
    if done is not None:
        at_close = comments.filter(created_at__lte=done.created_at + dt.timedelta(seconds=5))
        if found := at_close.first():
            return found.body
    found = comments.first()
    return found.body if found else ""


def draft_from_case(access: Access, number) -> Draft:
    """A draft from a resolved or closed ticket the writer sees (404 for one they do not):
    the ticket's title, "Problem" its description, "Solution" the resolution note and the
    resolving comment."""
    case = _case_seen(access, _number(number, "case"))
    if case.status not in DONE_STATUSES:
        raise FieldErrors.one("case", _("Only a resolved or closed ticket can become an article."))
    problem = case.customer_comment.strip() or case.title
    solution = "\n\n".join(
        part.strip() for part in (case.resolution_note, _resolving_comment(case)) if part.strip()
    )
    title = _first_words(case.title or case.customer_comment) or _("Ticket #%(n)s") % {
        "n": case.number
    }
    language = _language_of(access, getattr(case.contact, "language", ""))
    return Draft(title=title, body=_body(problem, solution), language=language, source_case=case)


def _ended(activity: Activity) -> bool:
    if activity.conversation_id is not None:
        return activity.conversation.status == ConversationStatus.ENDED
    return activity.ended_at is not None


def draft_from_activity(access: Access, activity_id) -> Draft:
    """A draft from an ended conversation the writer sees: the customer's first message as
    title, "Problem" the customer's messages before the agent's first answer, "Solution" the
    agent's messages after the customer's last one (else the agent's last message). A call or
    email without a transcript: its subject and body."""
    activity = journey_selectors.activity_get(access, _number(activity_id, "activity"))
    if not _ended(activity):
        raise FieldErrors.one("activity", _("Only an ended conversation can become an article."))
    messages = [
        m
        for m in journey_selectors.chat_transcript(activity)
        if m.sender in (Sender.CUSTOMER, Sender.AGENT)
    ]
    if messages:
        first_agent = next((i for i, m in enumerate(messages) if m.sender == Sender.AGENT), None)
        asked = [m.body for m in messages[:first_agent] if m.sender == Sender.CUSTOMER]
        if not asked:
            asked = [next((m.body for m in messages if m.sender == Sender.CUSTOMER), "")]
        last_customer = max(
            (i for i, m in enumerate(messages) if m.sender == Sender.CUSTOMER), default=-1
        )
        answered = [m.body for m in messages[last_customer + 1 :] if m.sender == Sender.AGENT]
        if not answered:
            answered = [next((m.body for m in reversed(messages) if m.sender == Sender.AGENT), "")]
        problem, solution = "\n\n".join(asked), "\n\n".join(answered)
        title = activity.subject or _first_words(asked[0])
    else:
        problem, solution = activity.body, ""
        title = activity.subject or _first_words(activity.body)
    conversation = activity.conversation
    language = _language_of(
        access,
        conversation.language if conversation else "",
        getattr(activity.contact, "language", ""),
    )
    return Draft(
        title=title or str(activity),
        body=_body(problem, solution),
        language=language,
        source_activity=activity,
    )
