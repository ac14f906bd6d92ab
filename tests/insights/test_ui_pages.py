"""The Insights tab's pages (insights-ui): who may open them, the filters kept in the URL,
refused filters named, and card = breakdown bar = drill-down list = export, row for row."""

import datetime as dt
import io
import re
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.utils import timezone

from caredesk.insights import metrics
from caredesk.insights.filters import parse_insight_filters
from caredesk.workspaces.access import get_access

from .ui_scene import build

W = "/w/support/insights/"


@pytest.fixture
def scene(world):
    return build(world)


def _card(html: str, name: str) -> str:
    m = re.search(
        rf'id="kpi-{name}".*?<a class="kpi-value" href="([^"]+)"[^>]*>([^<]+)</a>', html, re.S
    )
    assert m, f"no card {name}"
    return m.group(2).strip(), m.group(1).replace("&amp;", "&")


def _rows_count(html: str) -> int:
    return int(re.search(r'id="row-count">([\d,.\s]+)<', html).group(1).replace(",", ""))


def _listed(html: str) -> int:
    body = re.search(r'id="rows">.*?<tbody>(.*?)</tbody>', html, re.S)
    return len(re.findall(r"<tr>", body.group(1))) if "empty-row" not in body.group(1) else 0


def test_the_admin_sees_the_whole_workspace(scene, as_user):
    r = as_user(scene.admin).get(W)
    assert r.status_code == 200
    html = r.content.decode()
    value, url = _card(html, "tickets")
    assert value == "9"  # the last 30 days: all but store2's 40-day-old ticket
    assert _card(html, "chats")[0] == "3"
    assert 'id="insight-charts"' in html
    assert "chart.umd.min.js" in html
    # Every figure's definition is in its tooltip, tied to its button.
    assert 'aria-describedby="def-tickets"' in html
    assert 'role="tooltip" class="tip" id="def-tickets"' in html


def test_a_manager_sees_their_area_only(scene, as_user):
    r = as_user(scene.manager).get(W)
    assert r.status_code == 200
    value, url = _card(r.content.decode(), "tickets")
    assert value == "4"  # Lisbon's stores: three in store1, one in store2 in the period
    rows = as_user(scene.manager).get(url)
    assert _rows_count(rows.content.decode()) == 4
    assert _listed(rows.content.decode()) == 4
    # Italy's tickets are not listed.
    for case in scene.cases[5:9]:
        assert f"/tickets/{case.number}/" not in rows.content.decode()


def test_an_agent_without_the_permission_is_refused(scene, as_user):
    client = as_user(scene.agent)
    assert client.get(W).status_code == 403
    assert client.get(f"{W}rows/tickets/").status_code == 403
    assert client.get(f"{W}rows/tickets/export.xlsx").status_code == 403


def test_another_organization_counts_none_of_it(scene, as_user):
    # The outsider's own workspace is also called "support": theirs, with nothing in it.
    r = as_user(scene.outsider).get(W)
    assert r.status_code == 200
    assert _card(r.content.decode(), "tickets")[0] == "0"


def test_the_filters_stay_in_the_urls(scene, as_user):
    today = timezone.localdate()
    start = (today - dt.timedelta(days=6)).isoformat()
    r = as_user(scene.admin).get(
        W, {"from": start, "to": today.isoformat(), "segment": scene.lisbon.pk, "by": "agent"}
    )
    assert r.status_code == 200
    html = r.content.decode()
    value, url = _card(html, "tickets")
    assert value == "3"  # store1 at 2 and 5 days, store2 at 3 days
    query = parse_qs(urlsplit(url).query)
    assert query["from"] == [start]
    assert query["segment"] == [str(scene.lisbon.pk)]
    # The form shows what is in effect, and the breakdown's switch keeps the filters.
    assert f'name="from" value="{start}"' in html
    assert f'<option value="{scene.lisbon.pk}" data-level' in html
    switch = re.search(r'<a href="([^"]+)" class="" data-by="segment"', html).group(1)
    assert f"segment={scene.lisbon.pk}" in switch and f"from={start}" in switch


@pytest.mark.parametrize(
    "params, field",
    [
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-05-02", "to": "2026-05-01"}, "to"),
        ({"grain": "hour"}, "grain"),
        ({"segment": "x"}, "segment"),
        ({"channel": "fax"}, "channel"),
        ({"bm": "nope"}, "bm"),
        ({"by": "planet"}, "by"),
    ],
)
def test_a_bad_filter_is_refused_naming_it(scene, as_user, params, field):
    r = as_user(scene.admin).get(W, params)
    assert r.status_code == 400
    html = r.content.decode()
    assert f'data-field="{field}"' in html
    assert 'class="kpi card"' not in html


def test_a_bad_drill_down_is_refused_naming_it(scene, as_user):
    client = as_user(scene.admin)
    r = client.get(f"{W}rows/tickets/", {"from": "2026-02-30"})
    assert r.status_code == 400
    assert 'data-field="from"' in r.content.decode()
    r = client.get(f"{W}rows/tickets/", {"by": "segment", "key": "abc"})
    assert r.status_code == 400
    assert 'data-field="key"' in r.content.decode()
    r = client.get(f"{W}rows/tickets/export.xlsx", {"to": "x"})
    assert r.status_code == 400
    assert client.get(f"{W}rows/no_such_metric/").status_code == 404


def test_each_bar_drills_down_to_its_rows_and_exports_them(scene, as_user):
    client = as_user(scene.admin)
    html = client.get(W, {"bm": "tickets", "by": "segment"}).content.decode()
    table = re.search(r'id="breakdown-table">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    bars = re.findall(
        r'<th scope="row">([^<]+)</th><td class="num"><a href="([^"]+)">([^<]+)</a>', table
    )
    by_label = {label: (url.replace("&amp;", "&"), int(value)) for label, url, value in bars}
    assert {k: v for k, (_u, v) in by_label.items()} == {
        "Italy": 4,
        "Lisbon Store 1": 3,
        "Lisbon Store 2": 1,
        "No segment": 1,
    }
    for _label, (url, value) in by_label.items():
        page = client.get(url)
        assert page.status_code == 200
        assert _rows_count(page.content.decode()) == value
        assert _listed(page.content.decode()) == value
        path, query = url.split("?")
        r = client.get(path + "export.xlsx?" + query)
        assert r.status_code == 200
        assert r["Content-Type"].startswith("application/vnd.openxmlformats")
        book = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content)))
        sheet = book.worksheets[0]
        assert sheet.max_row - 1 == value  # the header and one line a row


def test_card_list_and_export_agree_with_the_metrics(scene, as_user):
    """The page shows metrics' numbers: the figure's count, the rows, the file's rows."""
    access = get_access(scene.admin, "support")
    filters = parse_insight_filters({}, access)
    client = as_user(scene.admin)
    html = client.get(W).content.decode()
    for name in ("tickets", "chats"):
        fig = metrics.figure(access, name, filters)
        value, url = _card(html, name)
        assert value == str(fig.value)
        page = client.get(url).content.decode()
        assert _rows_count(page) == fig.count == metrics.rows(access, name, filters).count()
        path, query = url.split("?")
        r = client.get(path + "export.xlsx?" + query)
        book = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content)))
        assert book.worksheets[0].max_row - 1 == fig.count


def test_the_export_needs_the_export_permission(scene, as_user):
    # Coaches see insights but may not download tickets to Excel.
    client = as_user(scene.coach)
    assert client.get(W).status_code == 200
    assert client.get(f"{W}rows/tickets/").status_code == 200
    assert 'id="export-link"' not in client.get(f"{W}rows/tickets/").content.decode()
    assert client.get(f"{W}rows/tickets/export.xlsx").status_code == 403


def test_the_drill_down_pages(scene, as_user, monkeypatch):
    from caredesk.insights import views

    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    client = as_user(scene.admin)
    first = client.get(f"{W}rows/tickets/").content.decode()
    assert _rows_count(first) == 9 and _listed(first) == 4
    nxt = re.search(r'<a href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    last = client.get(nxt.replace("page=2", "page=3")).content.decode()
    assert _listed(last) == 1
    assert client.get(f"{W}rows/tickets/", {"page": "0"}).status_code == 400


def test_the_chart_data_is_the_cards_and_the_tables(scene, as_user):
    client = as_user(scene.manager)
    r = client.get(f"{W}data.json", {"metric": "tickets", "group_by": "segment"})
    assert r.status_code == 200
    body = r.json()
    assert body["value"] == body["count"] == 4
    assert [(s["label"], s["count"]) for s in body["slices"]] == [
        ("Lisbon Store 1", 3),
        ("Lisbon Store 2", 1),
    ]
    page = client.get(body["slices"][0]["rows_url"]).content.decode()
    assert _rows_count(page) == 3
    series = client.get(f"{W}data.json", {"metric": "tickets"}).json()
    assert len(series["points"]) == 30
    assert sum(p["count"] for p in series["points"]) == 4


@pytest.mark.parametrize(
    "params, field",
    [
        ({"metric": "nope"}, "metric"),
        ({"metric": "tickets", "group_by": "planet"}, "group_by"),
        ({"metric": "tickets", "from": "x"}, "from"),
    ],
)
def test_bad_chart_data_parameters_are_named(scene, as_user, params, field):
    r = as_user(scene.admin).get(f"{W}data.json", params)
    assert r.status_code == 400
    assert list(r.json()["errors"]) == [field]
    assert as_user(scene.agent).get(f"{W}data.json", {"metric": "tickets"}).status_code == 403


def test_the_tab_speaks_the_users_language(scene, as_user):
    from caredesk.workspaces.models import User

    User.objects.filter(pk=scene.admin.pk).update(language="bg")
    html = as_user(scene.admin).get(W).content.decode()
    assert "Последните 7 дни" in html
    assert "спрямо предишния период" in html
    assert "Покажи като таблица" in html
