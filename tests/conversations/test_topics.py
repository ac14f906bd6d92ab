"""The topic taxonomy: its API (view_insights reads, manage_care writes, field errors that
change nothing), its settings page, and the re-analysis a change queues (last 90 days) and
the `reanalyse` command for older history."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from caredesk.analysis.models import Analysis, AnalysisTopic, Topic
from caredesk.conversations import pipeline
from caredesk.journey import services as journey
from caredesk.journey.models import Direction, MediaType

from .conftest import BASE, send

TOPICS = f"{BASE}/topics"


def state():
    return list(
        Topic.objects.order_by("pk").values_list("pk", "name", "parent_id", "phrases", "is_active")
    )


def email(world, text, days_ago=0):
    a = journey.activity_create(
        workspace=world.support,
        media_type=MediaType.EMAIL,
        direction=Direction.INBOUND,
        body=text,
        actor=None,
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    pipeline.analyse_activities([a.pk])
    return a


def topic_names(activity) -> set[str]:
    return set(
        AnalysisTopic.objects.filter(
            analysis__source="activity", analysis__source_id=activity.pk
        ).values_list("topic__name", flat=True)
    )


def test_topic_crud_through_the_api(world, api_client, committed):
    admin = api_client(world.admin)
    with committed():
        r = send(admin, "post", TOPICS, {"name": "Billing", "phrases": {"en": ["invoice"]}})
    assert r.status_code == 201, r.content
    billing = r.json()
    assert (billing["name"], billing["parent"], billing["phrases"], billing["is_active"]) == (
        "Billing",
        None,
        {"en": ["invoice"]},
        True,
    )
    with committed():
        r = send(
            admin,
            "post",
            TOPICS,
            {
                "name": "Refund",
                "parent": billing["id"],
                "names": {"pt": "Reembolso"},
                "phrases": {"en": ["refund", " refund "], "pt": ["reembolso"]},
            },
        )
    refund = r.json()
    assert (refund["parent"], refund["names"], refund["phrases"]) == (
        billing["id"],
        {"pt": "Reembolso"},
        {"en": ["refund"], "pt": ["reembolso"]},
    )
    assert [t["name"] for t in admin.get(TOPICS).json()] == ["Billing", "Refund"]
    # The manager (view_insights) reads; only manage_care writes.
    manager = api_client(world.manager)
    assert manager.get(f"{TOPICS}/{refund['id']}").json()["name"] == "Refund"
    before = state()
    assert send(manager, "post", TOPICS, {"name": "X"}).status_code == 403
    assert send(manager, "patch", f"{TOPICS}/{refund['id']}", {"name": "X"}).status_code == 403
    assert send(manager, "delete", f"{TOPICS}/{refund['id']}").status_code == 403
    assert api_client(world.agent).get(TOPICS).status_code == 403
    assert api_client(world.outsider).get(f"{TOPICS}/{refund['id']}").status_code == 404
    assert state() == before
    with committed():
        r = send(admin, "patch", f"{TOPICS}/{refund['id']}", {"is_active": False, "parent": None})
    assert (r.json()["is_active"], r.json()["parent"]) == (False, None)
    with committed():
        assert send(admin, "delete", f"{TOPICS}/{billing['id']}").status_code == 204
    assert [t["name"] for t in admin.get(TOPICS).json()] == ["Refund"]
    assert admin.get(f"{TOPICS}/{billing['id']}").status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "Billing"}, "name"),  # already there
        ({"name": "A", "parent": 999999}, "parent"),
        ({"name": "A", "phrases": {"fr": ["facture"]}}, "phrases"),
        ({"name": "A", "phrases": {"en": ["x" * 201]}}, "phrases"),
        ({"name": "A", "phrases": {"en": ["a"] * 201}}, "phrases"),
        ({"name": "A", "names": {"de": "Rechnung"}}, "names"),
        ({"name": "A\x00"}, "name"),
    ],
)
def test_bad_topics_are_refused_naming_the_field(world, api_client, topics, body, field):
    admin = api_client(world.admin)
    before = state()
    r = send(admin, "post", TOPICS, body)
    assert r.status_code == 400, r.content
    assert field in r.json()["errors"], r.json()
    assert state() == before


def test_a_topic_cannot_move_under_its_own_subtopic(world, api_client, topics):
    admin = api_client(world.admin)
    before = state()
    r = send(admin, "patch", f"{TOPICS}/{topics['billing'].pk}", {"parent": topics["refund"].pk})
    assert r.status_code == 400
    assert list(r.json()["errors"]) == ["parent"]
    assert state() == before


def test_a_taxonomy_change_reanalyses_the_last_90_days(world, topics, api_client, committed):
    recent = email(world, "Where is my parcel? The courier never came.", days_ago=10)
    old = email(world, "Where is my parcel? The courier never came.", days_ago=120)
    assert topic_names(recent) == {"Delivery"} == topic_names(old)
    with committed():
        r = send(
            api_client(world.admin),
            "post",
            TOPICS,
            {"name": "Courier", "parent": topics["delivery"].pk, "phrases": {"en": ["courier"]}},
        )
        assert r.status_code == 201
    assert topic_names(recent) == {"Delivery", "Courier"}
    assert topic_names(old) == {"Delivery"}  # older than 90 days: the command's work
    stamp = pipeline.taxonomy_stamp(world.support.pk)
    assert Analysis.objects.get(source_id=recent.pk).taxonomy_stamp == stamp

    out = io.StringIO()
    call_command("reanalyse", "--workspace", "support", "--since", "2000-01-01", stdout=out)
    assert topic_names(old) == {"Delivery", "Courier"}
    text = out.getvalue()
    assert "activity: 2/2" in text and "analyses stored" in text
    with pytest.raises(CommandError, match="--workspace"):
        call_command("reanalyse", "--workspace", "nope")
    with pytest.raises(CommandError, match="--since"):
        call_command("reanalyse", "--since", "last week")


def test_deleting_a_topic_removes_its_hits(world, topics, api_client, committed):
    a = email(world, "My refund never came.")
    assert topic_names(a) == {"Billing", "Refund"}
    with committed():
        send(api_client(world.admin), "delete", f"{TOPICS}/{topics['refund'].pk}")
    assert topic_names(a) == set()  # "refund" was its only phrase found
    assert not AnalysisTopic.objects.filter(topic_id=topics["refund"].pk).exists()


# -- the settings page -----------------------------------------------------------------------


def page_client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


PAGE = "/w/support/settings/topics/"


def test_the_settings_page_edits_the_taxonomy(world, topics, committed):
    c = page_client(world.admin)
    r = c.get(PAGE)
    assert r.status_code == 200
    html = r.content.decode()
    assert f'id="topic-{topics["refund"].pk}"' in html and 'id="reanalyse-note"' in html
    assert 'href="/w/support/settings/topics/"' in html  # in the Settings sections
    with committed():
        r = c.post(
            PAGE,
            {
                "name": "Returns",
                "parent": "",
                "is_active": "on",
                "name_pt": "Devoluções",
                "phrases_en": "return\nsend it back",
                "phrases_it": "reso, restituire",
            },
        )
    assert r.status_code == 302
    t = Topic.objects.get(name="Returns")
    assert (t.names, t.phrases) == (
        {"pt": "Devoluções"},
        {"en": ["return", "send it back"], "it": ["reso", "restituire"]},
    )
    # A bad edit: 400, the field named, nothing changed.
    before = state()
    r = c.post(f"{PAGE}{t.pk}/", {"name": "", "parent": str(t.pk)})
    assert r.status_code == 400
    html = r.content.decode()
    assert "<strong>name</strong>" in html and "<strong>parent</strong>" in html
    assert state() == before
    with committed():
        assert c.post(f"{PAGE}{t.pk}/toggle/").status_code == 302
    assert Topic.objects.get(pk=t.pk).is_active is False
    with committed():
        assert c.post(f"{PAGE}{t.pk}/delete/").status_code == 302
    assert not Topic.objects.filter(pk=t.pk).exists()


def test_a_suggestion_becomes_a_topic_in_a_click(world, topics, committed):
    for text in (
        "The mobile app crashes when I pay.",
        "Your mobile app crashes every time.",
        "Mobile app crashes again at checkout.",
    ):
        email(world, text)
    c = page_client(world.admin)
    html = c.get(PAGE).content.decode()
    assert 'id="suggestions"' in html
    import re

    found = re.findall(
        r'name="phrase" value="([^"]+)"><input type="hidden" name="language" value="en"', html
    )
    assert found, html[html.find('id="suggestions"') :][:2000]
    with committed():
        r = c.post(f"{PAGE}suggestions/add/", {"phrase": found[0], "language": "en"})
    assert r.status_code == 302
    t = Topic.objects.latest("pk")
    assert t.phrases == {"en": [found[0]]}
    assert c.post(f"{PAGE}suggestions/add/", {"phrase": "x", "language": "fr"}).status_code == 302
    assert Topic.objects.latest("pk") == t


def test_the_settings_page_needs_manage_care(world, topics):
    for user in (world.manager, world.agent, world.coach):
        c = page_client(user)
        assert c.get(PAGE).status_code == 403
        assert c.post(PAGE, {"name": "X"}).status_code == 403
        assert c.post(f"{PAGE}{topics['billing'].pk}/delete/").status_code == 403
    assert Topic.objects.count() == 3
