"""`caredesk seed-demo` fills the Resource center and the Action plans tabs: 40–60 articles in
the four languages (public help and internal procedures, a category tree, version histories by
several people, uses on the demo's real chats and public views) and a few action plans made
from the demo's insights, whose baselines are exactly what the plan's slice gives; a second
run adds nothing, and a demo seeded before these tabs existed gets them on the next run."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from caredesk.action_plans import slice as plan_slice
from caredesk.action_plans.models import (
    ActionPlan,
    PlanComment,
    PlanLink,
    PlanStatus,
    PlanTask,
    TaskKind,
)
from caredesk.audit.models import AuditEntry
from caredesk.core.i18n import LANGUAGE_CODES
from caredesk.insights.catalogue import CATALOGUE
from caredesk.journey.models import Activity, MediaType
from caredesk.resources.models import (
    Article,
    ArticleTag,
    ArticleTranslation,
    ArticleUse,
    ArticleVersion,
    Category,
    UseKind,
)
from caredesk.workspaces.access import get_access
from caredesk.workspaces.models import Tab, Workspace
from caredesk.workspaces.permissions import Perm


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Article,
            ArticleTranslation,
            ArticleVersion,
            ArticleUse,
            ArticleTag,
            Category,
            ActionPlan,
            PlanTask,
            PlanComment,
            PlanLink,
        )
    } | {
        "plan log": AuditEntry.objects.filter(object_type="action_plan").count(),
        "article log": AuditEntry.objects.filter(object_type="article").count(),
    }


@pytest.fixture
def seeded(db, capsys):
    call_command("seed_demo", tickets=20)
    out = capsys.readouterr().out
    return Workspace.objects.get(organization__slug="acme", slug="support"), out


# One seed is checked by all the parts below (seeding takes tens of seconds).
def test_seed_demo_fills_both_tabs_and_a_second_run_adds_nothing(seeded, capsys):
    _resource_center(seeded)
    _versions(seeded)
    _uses(seeded)
    _action_plans(seeded)
    _tasks(seeded)
    for workspace in Workspace.objects.filter(organization__slug="acme"):
        assert Tab.ACTION_PLANS in workspace.enabled_tabs
        assert Tab.RESOURCES in workspace.enabled_tabs
    first = _counts()
    call_command("seed_demo", tickets=20)
    assert "Demo data already present; nothing changed." in capsys.readouterr().out
    assert _counts() == first


def _resource_center(seeded):
    support, out = seeded
    articles = Article.objects.filter(workspace=support)
    assert 40 <= articles.count() <= 60
    assert f"Support resource center: {articles.count()} articles (" in out
    # Every article in its original language, many translated; all four languages written.
    translations = ArticleTranslation.objects.filter(workspace=support)
    assert sorted(set(translations.values_list("language", flat=True))) == sorted(LANGUAGE_CODES)
    for article in articles:
        assert translations.filter(article=article, language=article.language).exists()
    assert sorted(set(articles.values_list("language", flat=True))) == sorted(LANGUAGE_CODES)
    fully = articles.annotate(n=Count("translations")).filter(n=4).count()
    assert fully >= 12
    # Help for customers and procedures for agents; mostly published, a few drafts, one archived.
    by = dict(articles.values_list("status").annotate(n=Count("id")))
    assert by["archived"] == 1
    assert 2 <= by["draft"] <= 6
    assert by["published"] >= 0.8 * articles.count()
    assert set(articles.values_list("audience", flat=True)) == {"public", "internal"}
    assert articles.filter(audience="internal").count() >= 12
    assert articles.filter(audience="public", status="published").count() >= 20
    # Published ones have a publication time, drafts none; all in the past.
    now = timezone.now()
    assert not articles.filter(status="published", published_at__isnull=True).exists()
    assert not articles.filter(status="draft", published_at__isnull=False).exists()
    assert not articles.filter(created_at__gt=now).exists()
    assert articles.filter(created_at__lt=now - dt.timedelta(days=60)).count() >= 10
    # Markdown with headings and lists.
    assert translations.filter(body__contains="\n## ").count() >= 30
    assert translations.filter(body__contains="\n1. ").count() >= 15
    # Slugs are unique in the workspace (the constraint) and readable.
    assert translations.filter(slug="how-to-issue-a-partial-refund-in-the-back-office").exists()

    # A category tree, named in every language; every article in one; tags.
    roots = Category.objects.filter(workspace=support, parent=None)
    assert roots.count() >= 5
    assert Category.objects.filter(workspace=support, parent__isnull=False).count() >= 4
    for category in Category.objects.filter(workspace=support):
        assert set(category.names) == {"pt-br", "it", "bg"}
    assert not articles.filter(category=None).exists()
    assert ArticleTag.objects.filter(workspace=support).count() >= 20
    assert not articles.annotate(n=Count("tags")).filter(n=0).exists()
    # Each article's log starts with its creation by its author, when it was created.
    for article in articles:
        created = AuditEntry.objects.filter(
            object_type="article", object_id=article.pk, action="created"
        )
        assert {(e.actor_id, e.created_at) for e in created} == {
            (article.created_by_id, article.created_at)
        }


def _versions(seeded):
    support, _out = seeded
    for tr in ArticleTranslation.objects.filter(workspace=support).prefetch_related("versions"):
        versions = sorted(tr.versions.all(), key=lambda v: v.number)
        # Numbers 1..n, the translation is its last version, each later than the one before.
        assert [v.number for v in versions] == list(range(1, tr.version + 1))
        assert (versions[-1].title, versions[-1].body) == (tr.title, tr.body)
        assert all(
            a.created_at < b.created_at for a, b in zip(versions, versions[1:], strict=False)
        )
        assert all(v.author_id for v in versions)
        assert versions[0].created_at >= tr.article.created_at
    several = (
        ArticleTranslation.objects.filter(workspace=support)
        .annotate(n=Count("versions"), authors=Count("versions__author", distinct=True))
        .filter(n__gte=2)
    )
    assert several.count() >= 6
    assert several.filter(n=3, authors__gte=2).count() >= 3
    # What changed is in the text: a section was added, then the refund times went from 5–7
    # to 3–5 working days.
    refund = ArticleTranslation.objects.get(
        workspace=support, language="en", title="When will I get my refund?"
    )
    v = {x.number: x for x in refund.versions.all()}
    assert "5–7 working days" in v[1].body and "3–5 working days" not in v[1].body
    assert "3–5 working days" in v[3].body
    assert "It has been longer" not in v[1].body and "It has been longer" in v[2].body
    assert "5–7 working days" in v[2].body
    assert v[3].note and v[3].author.username != v[1].author.username


def _uses(seeded):
    support, out = seeded
    uses = ArticleUse.objects.filter(workspace=support).select_related(
        "article", "activity", "translation"
    )
    suggested = uses.filter(kind=UseKind.SUGGESTED)
    inserted = uses.filter(kind=UseKind.INSERTED)
    viewed = uses.filter(kind=UseKind.VIEWED)
    assert suggested.count() >= 200
    assert 50 <= inserted.count() < suggested.count()
    assert viewed.count() >= 300
    now = timezone.now()
    for use in uses:
        assert use.translation.article_id == use.article_id
        assert use.article.status in ("published", "archived")
        assert use.article.published_at <= use.at <= now
        assert use.at >= now - dt.timedelta(days=91)
        if use.kind == UseKind.VIEWED:
            # On the public help center: public articles, no chat, nobody logged in.
            assert (use.article.audience, use.activity_id, use.user_id) == ("public", None, None)
        else:
            # In a chat: the agent of that chat, while it ran.
            assert use.activity.media_type == MediaType.CHAT
            assert use.user_id == use.activity.agent_id
            assert use.activity.started_at <= use.at
        if use.kind == UseKind.INSERTED:
            # What goes into a reply is a public link.
            assert use.article.audience == "public"
            assert suggested.filter(activity=use.activity, article=use.article).exists()
    # Spread over the 90 days, and on many chats.
    days = {u.at.date() for u in uses}
    assert len(days) >= 60
    chats = Activity.objects.filter(workspace=support, media_type=MediaType.CHAT)
    assert suggested.values("activity").distinct().count() >= chats.count() // 2
    # The refund procedure is suggested in the refund chats, inserted never (internal).
    procedure = Article.objects.get(
        translations__title="How to issue a partial refund in the back office"
    )
    assert suggested.filter(article=procedure).count() >= 10
    assert not inserted.filter(article=procedure).exists()
    assert f"{suggested.count():,} suggestions, {inserted.count():,} insertions" in out


def _action_plans(seeded):
    support, out = seeded
    plans = ActionPlan.objects.filter(workspace=support)
    assert 3 <= plans.count() <= 5
    assert f"; {plans.count()} action plans" in out
    assert {p.status for p in plans} >= {
        PlanStatus.IN_PROGRESS,
        PlanStatus.NOT_STARTED,
        PlanStatus.DONE,
        PlanStatus.BLOCKED,
    }
    today = timezone.now().date()
    for plan in plans:
        assert plan.metric in CATALOGUE
        assert plan.filters and set(plan.filters) <= set(plan_slice.SLICE_PARAMS)
        # The baseline is exactly the metric on the plan's slice over its baseline days.
        again = plan_slice.baseline(
            support,
            plan.metric,
            plan.filters,
            date_from=plan.baseline_from,
            date_to=plan.baseline_to,
        )
        assert again.value is not None and again.count > 0
        assert (plan.baseline_value, plan.baseline_count) == (again.value, again.count)
        assert plan.baseline_to == plan.started_on - dt.timedelta(days=1)
        assert plan.started_on <= today
        assert plan.target_value is not None
        # Owned by someone who may manage action plans, in the plan's area.
        assert get_access(plan.owner, support.slug).has(Perm.MANAGE_ACTION_PLANS)
        assert plan.created_at.date() == plan.started_on
        assert plan.tasks.count() >= 3
        assert AuditEntry.objects.filter(
            object_type="action_plan", object_id=plan.pk, action="created", actor=plan.owner
        ).exists()
        if plan.segment_id:
            assert plan.segment_path == plan.segment.path
    done = plans.get(status=PlanStatus.DONE)
    assert done.closed_at is not None
    assert not done.tasks.filter(done=False).exists()
    assert plans.exclude(status=PlanStatus.DONE).filter(closed_at__isnull=False).count() == 0
    # Made from several kinds of insight.
    assert len({p.origin for p in plans}) >= 3
    assert len({p.metric for p in plans}) >= 4


def _tasks(seeded):
    support, _out = seeded
    tasks = PlanTask.objects.filter(plan__workspace=support)
    today = timezone.now().date()
    done = tasks.filter(done=True)
    assert done.count() >= 6
    assert not done.filter(done_at=None).exists()
    assert not tasks.filter(done=False, done_at__isnull=False).exists()
    assert len({t.done_at.date() for t in done}) >= 5
    assert tasks.filter(done=False, due_date__lt=today).count() >= 2  # overdue
    assert tasks.filter(done=False, due_date__gte=today).count() >= 3  # open
    assert {t.kind for t in tasks} == {TaskKind.FREE, TaskKind.COACHING, TaskKind.ARTICLE}
    for task in tasks.filter(kind=TaskKind.ARTICLE):
        assert task.article is not None and task.article.workspace_id == support.pk
    coaching = tasks.filter(kind=TaskKind.COACHING)
    assert not coaching.filter(agent=None).exists()
    linked = coaching.exclude(coaching_session=None)
    assert linked.count() >= 2
    for task in linked:
        assert task.coaching_session.agent_id == task.agent_id
    # Ivan's done plan links his session, done when the session was.
    ivan = linked.get(plan__status=PlanStatus.DONE)
    assert ivan.done and ivan.coaching_session.status == "done"
    assert PlanComment.objects.filter(plan__workspace=support).count() >= 8
    assert PlanLink.objects.filter(plan__workspace=support).count() >= 2


def test_an_older_demo_gets_the_two_tabs_filled(seeded, capsys):
    support, _out = seeded
    first = _counts()
    titles = sorted(ActionPlan.objects.values_list("title", flat=True))
    # A demo from before issue 15: no articles, no plans, neither tab.
    ActionPlan.objects.all().delete()
    Article.objects.all().delete()
    Category.objects.all().delete()
    ArticleTag.objects.all().delete()
    AuditEntry.objects.filter(object_type__in=["action_plan", "article"]).delete()
    for workspace in Workspace.objects.all():
        workspace.enabled_tabs = [
            t for t in workspace.enabled_tabs if t not in (Tab.ACTION_PLANS, Tab.RESOURCES)
        ]
        workspace.save()
    call_command("seed_demo", tickets=20)
    out = capsys.readouterr().out
    assert "Demo data already present; resource center, tabs, action plans added." in out
    assert _counts() == first
    assert sorted(ActionPlan.objects.values_list("title", flat=True)) == titles
    for workspace in Workspace.objects.all():
        assert workspace.enabled_tabs.count(Tab.RESOURCES) == 1
    call_command("seed_demo", tickets=20)
    assert "nothing changed" in capsys.readouterr().out
