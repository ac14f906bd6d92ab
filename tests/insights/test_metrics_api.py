"""GET /api/v1/workspaces/{ws}/metrics, …/metrics/catalogue and …/metrics/{metric}/rows: the
same numbers as caredesk.insights.metrics, the ticket summary's total for tickets, the
management area, the permission, and a 400 naming the field for every bad parameter."""

import pytest

from caredesk.insights import metrics
from caredesk.insights.catalogue import CATALOGUE

from ..conftest import client_for
from .metrics_scene import WEEK, build, week

URL = "/api/v1/workspaces/support/metrics"


@pytest.fixture
def scene(world):
    return build(world)


def get(user, path="", **params):
    return client_for(user).get(URL + path, params)


def test_tickets_equal_the_ticket_summary_total(world, scene):
    for user in (world.admin, world.manager, world.italy_manager, scene.bg_manager):
        for dates in (WEEK, {"from": "2026-02-01", "to": "2026-03-31"}, {"from": "2026-03-04"}):
            body = get(user, metric="tickets", **dates).json()
            summary = client_for(user).get(
                "/api/v1/workspaces/support/tickets/summary",
                {"created_from": dates["from"], "created_to": dates.get("to", "")}
                if "to" in dates
                else {"created_from": dates["from"]},
            )
            assert summary.status_code == 200
            assert body["value"] == body["count"] == summary.json()["total"], (user, dates)


def test_the_answer_is_the_engines(world, scene):
    r = get(world.admin, metric="first_response_time", group_by="day", **WEEK)
    assert r.status_code == 200
    body = r.json()
    fig = metrics.figure(scene.admin, "first_response_time", week(scene.admin))
    assert (body["value"], body["count"], body["previous"], body["previous_count"]) == (
        300.0,
        3,
        None,
        0,
    )
    assert body["value"] == fig.value and body["unit"] == "seconds"
    assert body["label"] == "First response time"
    assert body["definition"] == str(CATALOGUE["first_response_time"].definition)
    assert [g["key"] for g in body["groups"]] == [f"2026-03-0{d}" for d in range(2, 9)]
    assert [g["count"] for g in body["groups"]] == [1, 1, 1, 0, 0, 0, 0]
    assert [g["value"] for g in body["groups"]] == [100.0, 300.0, 500.0, None, None, None, None]

    body = get(world.admin, metric="nps", group_by="segment", **WEEK).json()
    assert body["value"] == 0.0 and body["previous"] == 100.0 and body["change"] == -1.0
    assert [(g["label"], g["count"]) for g in body["groups"]] == [("Italy", 3), ("Bulgaria", 2)]
    assert body["groups"][0]["key"] == str(world.italy.pk)
    assert body["groups"][0]["value"] == pytest.approx(100 / 3)

    body = get(world.admin, metric="tickets", group_by="agent", **WEEK).json()
    assert [(g["label"], g["count"]) for g in body["groups"]] == [("Agent", 2), ("Second", 1)]
    body = get(world.admin, metric="chats", group_by="queue", **WEEK).json()
    assert [(g["key"], g["count"]) for g in body["groups"]] == [("Q1", 2), ("Q2", 1)]
    body = get(world.admin, metric="tickets", group_by="channel", **WEEK).json()
    assert sorted((g["label"], g["count"]) for g in body["groups"]) == [
        ("Call", 1),
        ("Chat", 1),
        ("Email", 1),
    ]
    body = get(world.admin, metric="survey_responses", group_by="survey", **WEEK).json()
    assert [(g["label"], g["count"]) for g in body["groups"]] == [
        ("Relationship NPS", 6),
        ("After ticket", 3),
    ]
    body = get(world.admin, metric="sentiment", group_by="topic", **WEEK).json()
    assert [(g["label"], g["count"], g["value"]) for g in body["groups"]] == [
        ("No topic", 3, pytest.approx(0.1 / 3)),
        ("Billing", 1, -0.3),
        ("Invoices", 1, -0.3),
    ]
    body = get(world.admin, metric="tickets", group_by="tag", **WEEK).json()
    assert [(g["label"], g["count"]) for g in body["groups"]] == [("No tag", 2), ("vip", 1)]
    body = get(world.admin, metric="quality_score", group_by="team", **WEEK).json()
    assert [(g["label"], g["count"], g["value"]) for g in body["groups"]] == [("Coach", 2, 80.0)]


def test_the_catalogue(world, scene):
    items = get(world.manager, "/catalogue").json()["items"]
    assert [i["metric"] for i in items] == list(CATALOGUE)
    nps = next(i for i in items if i["metric"] == "nps")
    assert nps["unit"] == "score" and nps["better"] == "up" and "survey" in nps["dimensions"]


def test_rows_are_the_figure_and_page(world, scene):
    body = get(world.admin, "/survey_responses/rows", limit=4, **WEEK).json()
    assert body["count"] == 9 and len(body["items"]) == 4 and body["next_cursor"]
    seen = [i["id"] for i in body["items"]]
    while body["next_cursor"]:
        body = get(
            world.admin, "/survey_responses/rows", limit=4, cursor=body["next_cursor"], **WEEK
        ).json()
        seen += [i["id"] for i in body["items"]]
    assert len(seen) == len(set(seen)) == 9
    row = get(world.admin, "/first_response_time/rows", **WEEK).json()["items"][0]
    assert row["kind"] == "episode" and row["number"] == scene.c3.number
    assert row["segment"] == "Bulgaria" and row["agent"] == "Second" and row["value"] == 500.0
    assert row["url"] == f"/w/support/tickets/{scene.c3.number}/"
    assert client_for(world.admin).get(row["url"], follow=True).status_code == 200
    # one slice: Italy's NPS responses
    body = get(world.admin, "/nps/rows", by="segment", key=str(world.italy.pk), **WEEK).json()
    assert body["count"] == 3 and {i["segment"] for i in body["items"]} == {"Italy"}
    assert sorted(i["value"] for i in body["items"]) == [3.0, 9.0, 10.0]
    for i in body["items"]:
        assert client_for(world.admin).get(i["url"], follow=True).status_code == 200


def test_a_manager_of_italy_neither_counts_nor_lists_bulgaria(world, scene):
    for name in CATALOGUE:
        body = get(world.italy_manager, "/" + name + "/rows", limit=200, **WEEK).json()
        assert "Bulgaria" not in {i["segment"] for i in body["items"]}, name
        assert body["count"] == get(world.italy_manager, metric=name, **WEEK).json()["count"]
    body = get(world.italy_manager, metric="nps", group_by="segment", **WEEK).json()
    assert [g["label"] for g in body["groups"]] == ["Italy"]
    body = get(
        world.italy_manager, "/nps/rows", by="segment", key=str(scene.bulgaria.pk), **WEEK
    ).json()
    assert body["count"] == 0 and body["items"] == []


def test_without_the_permission_403(world, scene, api_client):
    for path, params in (("", {"metric": "tickets"}), ("/catalogue", {}), ("/tickets/rows", {})):
        assert get(world.agent, path, **params).status_code == 403
    r = client_for(world.outsider).get("/api/v1/workspaces/sales/metrics", {"metric": "tickets"})
    assert r.status_code == 404
    assert api_client(world.coach).get(URL, {"metric": "tickets"}).status_code == 200


@pytest.mark.parametrize(
    "path,params,field",
    [
        ("", {}, "metric"),
        ("", {"metric": "nope"}, "metric"),
        ("", {"metric": "tickets", "group_by": "survey"}, "group_by"),
        ("", {"metric": "tickets", "group_by": "hour"}, "group_by"),
        ("", {"metric": "tickets", "from": "yesterday"}, "from"),
        ("", {"metric": "tickets", "to": "2026-13-01"}, "to"),
        ("", {"metric": "tickets", "from": "2026-03-09", "to": "2026-03-01"}, "to"),
        ("", {"metric": "tickets", "grain": "year"}, "grain"),
        ("", {"metric": "tickets", "segment": "x"}, "segment"),
        ("", {"metric": "tickets", "segment": "999999"}, "segment"),
        ("", {"metric": "tickets", "queue": "nope"}, "queue"),
        ("", {"metric": "tickets", "channel": "fax"}, "channel"),
        ("", {"metric": "tickets", "agent": "999999"}, "agent"),
        ("", {"metric": "tickets", "team": "-1"}, "team"),
        ("", {"metric": "tickets", "survey": "999999"}, "survey"),
        ("", {"metric": "tickets", "tag": "999999"}, "tag"),
        ("", {"metric": "tickets", "topic": "999999"}, "topic"),
        ("/nope/rows", {}, "metric"),
        ("/tickets/rows", {"by": "survey"}, "by"),
        ("/tickets/rows", {"by": "segment", "key": "x"}, "key"),
        ("/tickets/rows", {"by": "tag", "key": "999999"}, "key"),
        ("/tickets/rows", {"key": "1"}, "key"),
        ("/tickets/rows", {"cursor": "!!"}, "cursor"),
        ("/tickets/rows", {"from": "x"}, "from"),
    ],
)
def test_bad_parameters_are_refused_naming_the_field(world, scene, path, params, field):
    r = get(world.admin, path, **params)
    assert r.status_code == 400, r.content
    assert set(r.json()["errors"]) == {field}
