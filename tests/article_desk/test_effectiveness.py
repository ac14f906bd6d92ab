"""An article's effectiveness from known data: its uses over the period, and the first
contact resolution and CSAT of the conversations it was inserted in against the others
(docs/resources.md, Effectiveness)."""

import datetime as dt

import pytest
from django.utils import timezone

from caredesk.feedback.models import Response, Survey, SurveyKind
from caredesk.insights.models import CaseMeasure
from caredesk.journey.models import Activity
from caredesk.resources.effectiveness import article_effectiveness
from caredesk.resources.models import ArticleUse
from caredesk.routing import services as routing
from tests.conftest import client_for

from .conftest import make_article, start_chat


def use(article, kind, activity=None, days_ago=0):
    u = ArticleUse.objects.create(
        workspace=article.workspace, article=article, kind=kind, activity=activity
    )
    if days_ago:
        ArticleUse.objects.filter(pk=u.pk).update(at=timezone.now() - dt.timedelta(days=days_ago))
    return u


@pytest.fixture
def scene(world):
    """Six chats of the last days; the article inserted in two. Tickets: c1 resolved at first
    contact (CSAT 5), c2 not (CSAT 2); among the others c3 yes (CSAT 4), c4 yes, c5 no (CSAT 1
    and 5), c6 has no ticket. An old chat (100 days) with the article is outside the period,
    and so is a ticket of another workspace."""
    a = make_article(world.support, {"en": ("Refunds", "How refunds work.")})
    other = make_article(world.support, {"en": ("Other", "x")})
    survey = Survey.objects.create(workspace=world.support, kind=SurveyKind.CSAT, name="CSAT")
    nps = Survey.objects.create(workspace=world.support, kind=SurveyKind.NPS, name="NPS")
    now = timezone.now()
    chats = {}
    for name, fcr, scores in [
        ("c1", True, [5]),
        ("c2", False, [2]),
        ("c3", True, [4]),
        ("c4", True, []),
        ("c5", False, [1, 5]),
        ("c6", None, []),
        ("old", True, [5]),
    ]:
        chat = start_chat(world, [f"hello {name}"])
        routing.conversation_end(conversation_id=chat.pk, by="agent")
        activity = Activity.objects.get(conversation=chat)
        chats[name] = activity
        if name == "old":
            Activity.objects.filter(pk=activity.pk).update(occurred_at=now - dt.timedelta(days=100))
        if fcr is None:
            continue
        case = world.make_case(world.support, status="resolved")
        Activity.objects.filter(pk=activity.pk).update(case=case)
        CaseMeasure.objects.create(
            case_id=case.pk,
            workspace=world.support,
            reported_at=now,
            resolved_at=now,
            first_contact_resolution=fcr,
        )
        for score in scores:
            Response.objects.create(workspace=world.support, survey=survey, score=score, case=case)
        # An NPS answer about the same ticket is not CSAT.
        Response.objects.create(workspace=world.support, survey=nps, score=0, case=case)
    # An open ticket (no first contact resolution yet) among the chats without the article.
    open_case = world.make_case(world.support, status="open")
    Activity.objects.filter(pk=chats["c6"].pk).update(case=open_case)
    CaseMeasure.objects.create(
        case_id=open_case.pk,
        workspace=world.support,
        reported_at=now,
        first_contact_resolution=None,
    )
    for name in ("c1", "c2", "old"):
        use(a, "inserted", chats[name], days_ago=100 if name == "old" else 0)
    use(a, "inserted", chats["c1"])  # inserted twice in one chat
    use(other, "inserted", chats["c3"])
    for name in ("c1", "c2", "c3"):
        use(a, "suggested", chats[name])
    use(a, "suggested", chats["old"], days_ago=100)
    for days in (0, 1, 2):
        use(a, "viewed", days_ago=days)
    use(a, "viewed", days_ago=91)
    # Another workspace's chats and tickets never count.
    sales = make_article(world.sales, {"en": ("Sales", "x")})
    use(sales, "viewed")
    return a, chats


def test_the_figures_from_known_data(world, scene):
    article, _chats = scene
    e = article_effectiveness(article)
    assert (e.days, e.suggested, e.inserted, e.viewed) == (90, 3, 3, 3)
    assert (e.conversations_with, e.conversations_without) == (2, 4)
    assert (e.fcr_with.n, e.fcr_with.k, e.fcr_with.percent) == (2, 1, 50.0)
    assert (e.fcr_without.n, e.fcr_without.k, e.fcr_without.percent) == (3, 2, 66.7)
    assert (e.csat_with.n, e.csat_with.k, e.csat_with.percent) == (2, 1, 50.0)
    assert (e.csat_without.n, e.csat_without.k, e.csat_without.percent) == (3, 2, 66.7)


def test_a_longer_period_takes_the_old_chat_in(world, scene):
    article, _chats = scene
    e = article_effectiveness(article, days=365)
    assert (e.suggested, e.inserted, e.viewed) == (4, 4, 4)
    assert (e.conversations_with, e.conversations_without) == (3, 4)
    assert (e.fcr_with.n, e.fcr_with.k) == (3, 2)
    assert (e.csat_with.n, e.csat_with.k) == (3, 2)


def test_a_ticket_with_a_chat_of_each_group_counts_with_the_article(world, scene):
    article, chats = scene
    c1_case = Activity.objects.get(pk=chats["c1"].pk).case_id
    Activity.objects.filter(pk=chats["c4"].pk).update(case_id=c1_case)
    e = article_effectiveness(article)
    assert (e.fcr_with.n, e.fcr_without.n) == (2, 2)


def test_nothing_measured_shows_no_share(world):
    article = make_article(world.support, {"en": ("Lonely", "x")})
    e = article_effectiveness(article)
    assert (e.suggested, e.inserted, e.viewed, e.conversations_with) == (0, 0, 0, 0)
    assert e.fcr_with.percent is None and e.csat_without.percent is None


def test_the_page_fragment_shows_each_share_with_its_n(world, scene):
    article, _ = scene
    url = f"/w/support/resources/articles/{article.pk}/effectiveness/"
    r = client_for(world.manager).get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert '<td data-fig="conversations-with">2</td>' in html
    assert (
        '<td data-fig="fcr-1"><b>50.0%</b> <span class="muted">n = 2 resolved tickets</span>'
        in html
    )
    assert "n = 3 responses" in html
    assert "small sample" in html
    r = client_for(world.manager).get(url, {"days": 365})
    assert '<td data-fig="conversations-with">3</td>' in r.content.decode()


@pytest.mark.parametrize("days", ["0", "abc", "731", "-3"])
def test_a_bad_period_is_refused(world, scene, days):
    article, _ = scene
    url = f"/w/support/resources/articles/{article.pk}/effectiveness/"
    r = client_for(world.manager).get(url, {"days": days})
    assert r.status_code == 400
    assert "day" in r.content.decode()


def test_only_writers_of_the_workspace_see_it(world, scene):
    article, _ = scene
    url = f"/w/support/resources/articles/{article.pk}/effectiveness/"
    assert client_for(world.agent).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 404
    sales_article = make_article(world.sales, {"en": ("Sales", "x")})
    r = client_for(world.admin).get(
        f"/w/support/resources/articles/{sales_article.pk}/effectiveness/"
    )
    assert r.status_code == 404
    assert client_for(world.coach).get(url).status_code == 200


def test_the_partial_loads_the_figures_for_writers_only(world, scene):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from caredesk.workspaces.access import get_access

    article, _ = scene
    request = RequestFactory().get("/")
    for user, shown in ((world.manager, True), (world.agent, False)):
        access = get_access(user, "support")
        html = render_to_string(
            "resources/_effectiveness.html",
            {"article": article, "access": access, "workspace": access.workspace},
            request=request,
        )
        assert (
            f'hx-get="/w/support/resources/articles/{article.pk}/effectiveness/"' in html
        ) is shown
