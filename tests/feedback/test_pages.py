"""Response list and page (visibility as tickets), rules pages and API (manage_care), the
ticket's link back to its response."""

import re

import pytest

from caredesk.care.models import Case
from caredesk.feedback.models import AlertRule, Response
from caredesk.feedback.services import responses_ingest, survey_create


@pytest.fixture
def scene(world, nps, django_capture_on_commit_callbacks):
    csat = survey_create(workspace=world.support, kind="csat", name="After chat")
    with django_capture_on_commit_callbacks(execute=True):
        responses_ingest(
            survey=nps,
            items=[
                {
                    "score": 2,
                    "comment": "<script>alert(1)</script> rude",
                    "segment": world.store2.pk,
                    "customer_email": "ana@x.pt",
                    "external_id": "n-1",
                    "transaction": {"order_id": "A-1", "agent": "Rui"},
                    "responded_at": "2026-03-05T10:00:00Z",
                },
                {"score": 8, "segment": world.store1.pk, "responded_at": "2026-03-06T10:00:00Z"},
                {
                    "score": 10,
                    "comment": "great",
                    "segment": world.italy.pk,
                    "responded_at": "2026-03-07T10:00:00Z",
                },
            ],
        )
        responses_ingest(
            survey=csat,
            items=[
                {"score": 1, "segment": world.lisbon.pk, "responded_at": "2026-03-08T10:00:00Z"}
            ],
        )
    return {r.comment or f"{r.survey.kind}{r.score}": r for r in Response.objects.all()}


def ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'id="response-(\d+)"', html)]


def test_list_filters(world, scene, as_user):
    c = as_user(world.admin)
    rude, passive, great, csat1 = (
        scene["<script>alert(1)</script> rude"],
        scene["nps8"],
        scene["great"],
        scene["csat1"],
    )
    url = "/w/support/feedback/responses/"
    assert ids(c.get(url).content.decode()) == [csat1.pk, great.pk, passive.pk, rude.pk]
    cases = {
        "band=detractor": [rude.pk],
        "band=passive": [passive.pk],
        "band=promoter": [great.pk],
        "band=csat_low": [csat1.pk],
        "has_comment=yes": [great.pk, rude.pk],
        "has_comment=no": [csat1.pk, passive.pk],
        f"segment={world.lisbon.pk}": [csat1.pk, passive.pk, rude.pk],
        f"survey={rude.survey_id}": [great.pk, passive.pk, rude.pk],
        "date_from=2026-03-06&date_to=2026-03-07": [great.pk, passive.pk],
    }
    for query, expected in cases.items():
        r = c.get(f"{url}?{query}")
        assert r.status_code == 200
        assert ids(r.content.decode()) == expected, query


def test_list_keyset_pages(world, nps, as_user, django_capture_on_commit_callbacks):
    AlertRule.objects.update(is_active=False)
    responses_ingest(
        survey=nps,
        items=[{"score": 9, "responded_at": f"2026-01-01T00:{m:02d}:00Z"} for m in range(55)],
    )
    c = as_user(world.admin)
    first = c.get("/w/support/feedback/responses/").content.decode()
    assert len(ids(first)) == 50
    next_url = re.search(r'href="(\?[^"]*after=[^"]+)" rel="next"', first).group(1)
    second = c.get("/w/support/feedback/responses/" + next_url.replace("&amp;", "&")).content
    assert len(ids(second.decode())) == 5
    assert not set(ids(first)) & set(ids(second.decode()))


@pytest.mark.parametrize(
    "query, field",
    [
        ("band=angry", "band"),
        ("date_from=03/05/2026", "date_from"),
        ("segment=999999", "segment"),
        ("survey=x", "survey"),
        ("date_from=2026-03-09&date_to=2026-03-01", "date_to"),
    ],
)
def test_bad_filters(world, scene, as_user, query, field):
    r = as_user(world.admin).get(f"/w/support/feedback/responses/?{query}")
    assert r.status_code == 400
    assert 'class="invalid"' in r.content.decode() or field == "date_to"
    assert ids(r.content.decode()) == []


def test_store_manager_sees_only_their_area(world, scene, as_user):
    # italymgr manages Italy only; manager manages Lisbon and its stores.
    italy = as_user(world.italy_manager).get("/w/support/feedback/responses/").content.decode()
    assert ids(italy) == [scene["great"].pk]
    lisbon = as_user(world.manager).get("/w/support/feedback/responses/").content.decode()
    assert sorted(ids(lisbon)) == sorted(
        [scene["csat1"].pk, scene["nps8"].pk, scene["<script>alert(1)</script> rude"].pk]
    )
    rude = scene["<script>alert(1)</script> rude"]
    assert (
        as_user(world.italy_manager).get(f"/w/support/feedback/responses/{rude.pk}/").status_code
        == 404
    )
    assert (
        as_user(world.manager)
        .get(f"/w/support/feedback/responses/{scene['great'].pk}/")
        .status_code
        == 404
    )


def test_permissions_on_response_pages(world, scene, as_user):
    rid = scene["great"].pk
    assert as_user(world.agent).get("/w/support/feedback/responses/").status_code == 403
    assert as_user(world.agent).get(f"/w/support/feedback/responses/{rid}/").status_code == 403
    # The outsider's organization has a "support" workspace too: theirs, without our responses.
    outsider = as_user(world.outsider)
    assert ids(outsider.get("/w/support/feedback/responses/").content.decode()) == []
    assert outsider.get(f"/w/support/feedback/responses/{rid}/").status_code == 404


def test_response_page_shows_everything_escaped(world, scene, as_user):
    rude = scene["<script>alert(1)</script> rude"]
    case = Case.objects.get()
    html = as_user(world.admin).get(f"/w/support/feedback/responses/{rude.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; rude" in html
    # The customer in words, linked to their journey: no "(contact 12: …)".
    assert "ana@x.pt" in html and f"contact {rude.contact_id}" not in html
    assert f'href="/w/support/journey/contacts/{rude.contact_id}/" id="customer-journey"' in html
    assert "Lisbon Store 2" in html and "n-1" in html
    assert '<th scope="row">order_id</th><td>A-1</td>' in html
    assert f'href="/w/support/tickets/?open={case.number}">#{case.number}</a>' in html
    assert "2 (detractor)" in html


def test_ticket_links_back_to_its_response(world, scene, as_user, api_client):
    rude = scene["<script>alert(1)</script> rude"]
    case = Case.objects.get()
    html = as_user(world.admin).get("/w/support/tickets/?created_from=2026-03-01").content.decode()
    assert f'<a href="/w/support/feedback/responses/{rude.pk}/"' in html
    api = api_client(world.admin)
    one = api.get(f"/api/v1/workspaces/support/tickets/{case.number}").json()
    expected = {
        "id": rude.pk,
        "external_id": "n-1",
        "verbatim": "<script>alert(1)</script> rude",
        "survey": rude.survey_id,
    }
    assert one["response"] == expected
    listed = api.get("/api/v1/workspaces/support/tickets?created_from=2026-03-01").json()
    assert [t["response"] for t in listed["items"]] == [expected]
    manual = world.make_case(world.support)
    assert api.get(f"/api/v1/workspaces/support/tickets/{manual.number}").json()["response"] is None


# --------------------------------------------------------------------------- rules


RULE_PAGES = [
    "/w/support/feedback/rules/",
    "/w/support/feedback/rules/new/",
    "/w/support/feedback/surveys/",
]


@pytest.mark.parametrize("url", RULE_PAGES)
def test_rule_and_survey_pages_need_manage_care(world, nps, as_user, url):
    assert as_user(world.manager).get(url).status_code == 403
    assert as_user(world.admin).get(url).status_code == 200


def test_rule_pages_of_one_rule_need_manage_care(world, nps, as_user):
    rule = AlertRule.objects.get()
    c = as_user(world.manager)
    assert c.get(f"/w/support/feedback/rules/{rule.pk}/").status_code == 403
    assert (
        c.post(f"/w/support/feedback/rules/{rule.pk}/active/", {"is_active": "0"}).status_code
        == 403
    )
    assert c.post(f"/w/support/feedback/rules/{rule.pk}/edit/", {"name": "x"}).status_code == 403
    assert (
        c.post(
            f"/w/support/feedback/rules/{rule.pk}/run/",
            {"date_from": "2026-01-01", "date_to": "2026-01-02"},
        ).status_code
        == 403
    )
    assert (
        c.post("/w/support/feedback/rules/new/", {"name": "x", "create_case": "1"}).status_code
        == 403
    )
    rule.refresh_from_db()
    assert rule.is_active and AlertRule.objects.count() == 1


def test_rules_api_needs_manage_care(world, nps, api_client):
    c = api_client(world.manager)
    assert c.get("/api/v1/workspaces/support/alert-rules").status_code == 403
    r = c.post(
        "/api/v1/workspaces/support/alert-rules",
        {"name": "x", "actions": {"create_case": {}}},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert AlertRule.objects.count() == 1


def test_rule_form_create_edit_toggle(world, nps, as_user):
    c = as_user(world.admin)
    r = c.post(
        "/w/support/feedback/rules/new/",
        {
            "name": "Rude in Lisbon",
            "survey": str(nps.pk),
            "is_active": "1",
            "score_kind_0": "nps",
            "score_min_0": "0",
            "score_max_0": "8",
            "nps_category": ["detractor"],
            "keywords": "rude\nmal educado",
            "segment": str(world.lisbon.pk),
            "transaction_field_0": "channel",
            "transaction_op_0": "equals",
            "transaction_value_0": "store",
            "create_case": "1",
            "case_priority": "critical",
            "case_status": "open",
            "assign_to": "segment_manager",
            "notify_users": [str(world.manager.pk)],
            "webhook_url": "https://example.com/hook",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    rule = AlertRule.objects.get(name="Rude in Lisbon")
    assert rule.criteria == {
        "scores": [{"kind": "nps", "min": 0, "max": 8}],
        "nps_category": ["detractor"],
        "keywords": ["rude", "mal educado"],
        "segment": world.lisbon.pk,
        "transaction": [{"field": "channel", "op": "equals", "value": "store"}],
    }
    assert rule.actions == {
        "create_case": {"priority": "critical", "status": "open", "segment": "response"},
        "assign": {"to": "segment_manager"},
        "notify": {"users": [world.manager.pk]},
        "webhook": {"url": "https://example.com/hook"},
    }
    page = c.get(f"/w/support/feedback/rules/{rule.pk}/edit/").content.decode()
    assert "mal educado" in page and 'value="https://example.com/hook"' in page

    c.post(f"/w/support/feedback/rules/{rule.pk}/active/", {"is_active": "0"})
    rule.refresh_from_db()
    assert not rule.is_active
    listing = c.get("/w/support/feedback/rules/").content.decode()
    assert "Rude in Lisbon" in listing and 'aria-pressed="false"' in listing


@pytest.mark.parametrize(
    "data, field",
    [
        ({"name": "", "create_case": "1"}, "name"),
        ({"name": "x"}, "actions"),
        (
            {"name": "x", "create_case": "1", "case_priority": "urgent"},
            "actions.create_case.priority",
        ),
        ({"name": "x", "assign_to": "segment_manager"}, "actions.assign"),
        ({"name": "x", "create_case": "1", "assign_to": "queue"}, "actions.assign.queue"),
        (
            {
                "name": "x",
                "create_case": "1",
                "score_kind_0": "nps",
                "score_min_0": "9",
                "score_max_0": "2",
            },
            "criteria.scores",
        ),
        ({"name": "x", "create_case": "1", "segment": "999999"}, "criteria.segment"),
        ({"name": "x", "create_case": "1", "nps_category": ["angry"]}, "criteria.nps_category"),
        (
            {"name": "x", "create_case": "1", "answers_question_0": "q", "answers_value_0": "v"},
            "criteria.answers",
        ),
        (
            {
                "name": "x",
                "create_case": "1",
                "transaction_field_0": "f",
                "transaction_op_0": "like",
                "transaction_value_0": "v",
            },
            "criteria.transaction",
        ),
        ({"name": "x", "webhook_url": "ftp://x"}, "actions.webhook.url"),
        ({"name": "x", "notify_users": ["999999"]}, "actions.notify.users"),
        ({"name": "x", "create_case": "1", "survey": "999999"}, "survey"),
    ],
)
def test_rule_form_bad_input(world, nps, as_user, data, field):
    if field == "criteria.answers":
        data["survey"] = str(nps.pk)  # NPS has no question "q"
    r = as_user(world.admin).post("/w/support/feedback/rules/new/", data)
    assert r.status_code == 400
    assert f'<li data-field="{field}">' in r.content.decode()
    assert AlertRule.objects.count() == 1


def test_rules_api_create_and_bad_input(world, api_client):
    c = api_client(world.admin)
    url = "/api/v1/workspaces/support/alert-rules"
    r = c.post(
        url,
        {
            "name": "VIP",
            "criteria": {"transaction": [{"field": "tier", "value": "vip"}]},
            "actions": {"create_case": {"priority": "high"}},
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["criteria"] == {
        "transaction": [{"field": "tier", "op": "equals", "value": "vip"}]
    }
    r = c.post(
        url,
        {"name": "bad", "criteria": {"mood": "x"}, "actions": {}},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["errors"] == {
        "criteria": "Unknown criteria: mood",
        "actions": "Choose at least one action.",
    }
    assert AlertRule.objects.count() == 1


def test_rules_api_edit_switch_and_isolation(world, nps, api_client):
    c = api_client(world.admin)
    rule = AlertRule.objects.get()
    url = f"/api/v1/workspaces/support/alert-rules/{rule.pk}"
    body = {
        "name": "Detractors in Italy",
        "survey": nps.pk,
        "is_active": True,
        "criteria": {"nps_category": ["detractor"], "segment": world.italy.pk},
        "actions": {"create_case": {"priority": "low"}, "assign": {"to": "segment_manager"}},
    }
    r = c.put(url, body, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["criteria"] == {"nps_category": ["detractor"], "segment": world.italy.pk}

    bad = c.put(
        url,
        {**body, "name": "", "actions": {"assign": {"to": "user", "user": world.outsider.pk}}},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"] == {
        "name": "A rule needs a name.",
        "actions.assign": "Assigning needs the create a ticket action.",
    }
    rule.refresh_from_db()
    assert rule.name == "Detractors in Italy"

    r = c.post(f"{url}/active", {"is_active": False}, content_type="application/json")
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert c.post(f"{url}/active", {}, content_type="application/json").status_code == 422
    rule.refresh_from_db()
    assert rule.is_active is False

    # Another organization's admin cannot see or touch it.
    other = api_client(world.outsider)
    assert other.put(url, body, content_type="application/json").status_code == 404
    assert other.get("/api/v1/workspaces/support/alert-rules").json() == []
    # A rule of the sales workspace is not reachable through support.
    sales_rule = AlertRule.objects.create(workspace=world.sales, name="s", actions={})
    assert (
        c.put(
            f"/api/v1/workspaces/support/alert-rules/{sales_rule.pk}",
            body,
            content_type="application/json",
        ).status_code
        == 404
    )
