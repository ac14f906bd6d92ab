"""Every refusal of the pages: permissions (403 without manage_resources, 404 outside the
workspace or organization), bad input (400 naming the field, nothing changed), Markdown XSS,
and the action plan task an article is written for."""

import datetime as dt

import pytest
from django.urls import reverse

from caredesk.action_plans.models import ActionPlan, PlanTask
from caredesk.resources import services
from caredesk.resources.models import Article, ArticleTranslation, ArticleVersion, Category

from .helpers import article, writer


def url(name, *args, ws="support"):
    return reverse(name, args=[ws, *args])


def snapshot():
    return (
        list(Article.objects.values_list("id", "status", "audience", "category_id")),
        list(ArticleTranslation.objects.values_list("id", "title", "body", "slug", "version")),
        ArticleVersion.objects.count(),
        list(Category.objects.values_list("id", "name", "parent_id", "position")),
    )


def test_an_agent_reads_but_cannot_write(world, as_user):
    a = article(world, status="published")
    cat = services.category_create(access=writer(world), name="Orders")
    before = snapshot()
    c = as_user(world.agent)
    assert c.get(url("article_detail", a.pk)).status_code == 200
    refused = [
        c.get(url("article_create")),
        c.post(url("article_create"), {"title": "x", "language": "en"}),
        c.get(url("article_edit", a.pk)),
        c.post(url("article_edit", a.pk) + "?lang=en", {"title": "x", "body": "y"}),
        c.post(url("article_status", a.pk), {"status": "archived"}),
        c.post(url("article_restore", a.pk), {"lang": "en", "version": 1}),
        c.post(url("article_preview"), {"body": "x"}),
        c.get(url("article_categories")),
        c.post(url("article_category_change", cat.pk), {"action": "delete"}),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert snapshot() == before


@pytest.mark.parametrize("who", ["outsider", "sales_only"])
def test_outside_the_workspace_nothing_exists(world, as_user, who):
    from caredesk.workspaces import services as ws
    from caredesk.workspaces.permissions import UserKind

    a = article(world, status="published")
    if who == "outsider":
        user, workspace = world.outsider, "support"
    else:
        user = ws.user_create(organization=world.org, username="salesy", password="pw-12345678")
        ws.membership_set(workspace=world.sales, user=user, kind=UserKind.CX_ADMIN)
        workspace = "sales"
    c = as_user(user)
    before = snapshot()
    assert c.get(url("article_detail", a.pk, ws=workspace)).status_code == 404
    assert c.get(url("article_edit", a.pk, ws=workspace)).status_code == 404
    assert (
        c.post(url("article_status", a.pk, ws=workspace), {"status": "archived"}).status_code == 404
    )
    assert snapshot() == before


def test_bad_edits_name_the_field_and_change_nothing(world, as_user):
    a = article(world)
    other = services.category_create(access=writer(world, world.admin, world.sales), name="Sales")
    b = article(world, title="Other")
    c = as_user(world.coach)
    before = snapshot()
    edit = url("article_edit", a.pk) + "?lang=en"
    ok = {"title": "T", "body": "B", "audience": "internal", "status": "draft"}
    for data, field in (
        ({**ok, "title": ""}, "title"),
        ({**ok, "title": "x" * 201}, "title"),
        ({**ok, "category": "999999"}, "category"),
        ({**ok, "category": str(other.pk)}, "category"),
        ({**ok, "status": "gone"}, "status"),
        ({**ok, "audience": "world"}, "audience"),
        ({**ok, "note": "n" * 201}, "note"),
    ):
        r = c.post(edit, data)
        assert r.status_code == 400, field
        assert f"<li>{field}: " in r.content.decode()
    r = c.post(url("article_edit", a.pk) + "?new=1", {"language": "fr", "title": "Retour"})
    assert r.status_code == 400 and "<li>language: " in r.content.decode()
    r = c.post(url("article_edit", a.pk) + "?new=1", {"language": "en", "title": "Again"})
    assert r.status_code == 400 and "<li>language: " in r.content.decode()
    foreign = b.translations.get().versions.get()
    r = c.post(url("article_restore", a.pk), {"lang": "en", "version": foreign.pk})
    assert r.status_code == 400 and "<li>version: " in r.content.decode()
    r = c.post(url("article_status", a.pk), {"status": "gone"})
    assert r.status_code == 400 and "<li>status: " in r.content.decode()
    r = c.post(url("article_categories"), {"name": " "})
    assert r.status_code == 400 and 'class="errorlist">A name is required.' in r.content.decode()
    r = c.post(url("article_categories"), {"name": "X", "parent": str(other.pk)})
    assert r.status_code == 400
    assert snapshot() == before


def test_markdown_is_rendered_safely_on_the_article_page(world, as_user):
    body = (
        "Hello <script>alert('x')</script>\n\n"
        "[click](javascript:alert(1)) [ok](https://example.com/a)\n\n"
        '<img src=x onerror="alert(1)">\n\n![pic](https://example.com/p.png)\n\n'
        "[data](data:text/html;base64,PHNjcmlwdD4=)"
    )
    a = article(world, title="<b>Bold</b> title", body=body, status="published")
    html = as_user(world.agent).get(url("article_detail", a.pk)).content.decode()
    article_html = html[html.index('id="article"') : html.index("</article>")]
    assert "<script>" not in article_html
    assert "Hello &lt;script&gt;alert(" in article_html
    assert "<img src=x" not in article_html and "&lt;img src=x onerror=" in article_html
    assert 'href="javascript' not in article_html and 'href="data:' not in article_html
    assert (
        '<a href="https://example.com/a" rel="noopener noreferrer nofollow">ok</a>' in article_html
    )
    assert '<img src="https://example.com/p.png" alt="pic">' in article_html
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in html


def test_an_article_written_for_a_plan_task_is_linked_to_it(world, as_user):
    plan = ActionPlan.objects.create(
        workspace=world.support, title="Cut refund contacts", started_on=dt.date.today()
    )
    task = PlanTask.objects.create(plan=plan, kind="article", title="Write the refunds article")
    c = as_user(world.manager)
    page = c.get(url("article_create") + f"?plan_task={task.pk}&title=Refunds")
    assert f'name="plan_task" value="{task.pk}"' in page.content.decode()
    assert 'name="title" value="Refunds"' in page.content.decode()
    r = c.post(
        url("article_create"),
        {
            "plan_task": task.pk,
            "title": "Refunds",
            "language": "en",
            "audience": "internal",
            "status": "draft",
        },
    )
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.article == Article.objects.get()


def test_a_task_of_another_workspace_undoes_the_article(world, as_user):
    plan = ActionPlan.objects.create(workspace=world.sales, title="P", started_on=dt.date.today())
    task = PlanTask.objects.create(plan=plan, kind="article", title="T")
    r = as_user(world.manager).post(
        url("article_create"),
        {
            "plan_task": task.pk,
            "title": "Refunds",
            "language": "en",
            "audience": "internal",
            "status": "draft",
        },
    )
    assert r.status_code == 400 and "<li>plan_task: " in r.content.decode()
    assert Article.objects.count() == 0
