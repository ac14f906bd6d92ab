"""GET /api/v1/workspaces/{ws}/search and the search page: what each user gets, escaped."""

import pytest

from caredesk.workspaces import services as ws

from .conftest import WORD, activity

pytestmark = pytest.mark.django_db

URL = "/api/v1/workspaces/support/search"
PAGE = "/w/support/conversations/search/"


def test_api_answers_hits_with_snippets_and_urls(scene, api_client):
    s = scene
    r = api_client(s.bg_manager).get(URL, {"q": "сума"})
    assert r.status_code == 200
    data = r.json()
    assert data["total"] == 1
    assert data["page"] == 1 and data["pages"] == 1 and data["page_size"] == 20
    (hit,) = data["items"]
    assert hit["kind"] == "case"
    assert hit["ticket"] == s.case_bg.number
    assert hit["url"] == f"/w/support/tickets/{s.case_bg.number}/"
    assert hit["title"]["text"] == f"#{s.case_bg.number} Възстановяване на сума"
    assert hit["title"]["html"] == f"#{s.case_bg.number} Възстановяване на <mark>сума</mark>"
    assert hit["snippet"]["text"] == f"България {WORD} сума"
    assert hit["snippet"]["matches"] == [[19, 23]]


def test_api_hit_kinds_and_their_pages(scene, api_client):
    s = scene
    items = (
        api_client(s.w.admin).get(URL, {"q": WORD, "kind": "chat_message,response"}).json()["items"]
    )
    by_kind = {i["kind"]: i for i in items}
    assert set(by_kind) == {"chat_message", "response"}
    chat = by_kind["chat_message"]
    assert chat["activity"] == s.chat_bg.pk
    assert chat["message"] is not None
    # The conversation page when the conversations part routes it, else the journey's.
    assert chat["url"] in (
        f"/w/support/conversations/activity/{s.chat_bg.pk}/",
        f"/w/support/journey/activities/{s.chat_bg.pk}/",
    )
    assert items and all(i["url"] for i in items)


def test_api_visibility_and_isolation(scene, api_client):
    s = scene
    it = api_client(s.w.italy_manager).get(URL, {"q": WORD}).json()
    assert it["total"] == 6
    assert "България" not in str(it)
    assert api_client(s.w.italy_manager).get(URL, {"q": "България"}).json()["total"] == 0
    # Another organization's admin: their own "support" workspace, none of Acme's text.
    other = api_client(s.w.outsider).get(URL, {"q": WORD}).json()
    assert other["total"] == 2
    assert {i["kind"] for i in other["items"]} == {"case", "email"}


def test_api_bad_input_is_a_400_naming_the_field(world, api_client):
    c = api_client(world.admin)
    for params, field in (
        ({}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": "a", "kind": "x"}, "kind"),
        ({"q": "a", "from": "2026-13-01"}, "from"),
        ({"q": "a", "page": "-1"}, "page"),
    ):
        r = c.get(URL, params)
        assert r.status_code == 400, params
        assert list(r.json()["errors"]) == [field], params


def test_api_and_page_need_use_care(world, api_client, as_user):
    from caredesk.workspaces.models import Membership

    agent_type = Membership.objects.get(workspace=world.support, user=world.agent).user_type
    ws.user_type_set_permissions(user_type=agent_type, permissions=[])
    assert api_client(world.agent).get(URL, {"q": "a"}).status_code == 403
    assert as_user(world.agent).get(PAGE, {"q": "a"}).status_code == 403
    # A workspace of another organization does not exist for them.
    assert (
        api_client(world.outsider).get("/api/v1/workspaces/sales/search", {"q": "a"}).status_code
        == 404
    )


def test_page_shows_escaped_highlighted_hits(world, as_user):
    act = activity(world.support, "web_form", "<script>alert(1)</script> my printer jams")
    r = as_user(world.admin).get(PAGE, {"q": "printer"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; my <mark>printer</mark> jams" in body
    assert 'href="/w/support/' in body and f"/{act.pk}/" in body
    assert "1 result" in body


def test_page_refuses_bad_input_naming_it(world, as_user):
    r = as_user(world.admin).get(PAGE, {"q": "x" * 201})
    assert r.status_code == 400
    assert "Search for at most 200 characters." in r.content.decode()


def test_page_pages(world, as_user):
    for i in range(25):
        activity(world.support, "email", f"pager test {i}")
    c = as_user(world.admin)
    first = c.get(PAGE, {"q": "pager"}).content.decode()
    assert "25 results" in first and first.count('class="search-hit"') == 20
    assert "?q=pager&amp;page=2" in first
    second = c.get(PAGE, {"q": "pager", "page": "2"}).content.decode()
    assert second.count('class="search-hit"') == 5


def test_page_without_a_query_shows_the_help(world, as_user):
    r = as_user(world.agent).get(PAGE)
    assert r.status_code == 200
    assert 'name="q"' in r.content.decode()
