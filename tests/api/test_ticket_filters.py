"""The ticket filters are one schema (caredesk.care.filters.TicketFilters): what the OpenAPI
document shows for the list, the summary and the export, what the API parses them by, and what
the page's query string is parsed by. A refused filter is a 400 naming it everywhere."""

import pytest

from caredesk.care.filters import TicketFilters
from caredesk.care.models import Case

from .conftest import BASE, numbers

PAGE = "/w/support/tickets/"


@pytest.fixture
def cases(world):
    world.make_case(world.support, status="open", days_ago=1)
    world.make_case(world.support, status="closed", days_ago=2)
    return Case.objects.count()


def test_the_document_shows_the_schema_for_list_summary_and_export(world):
    from caredesk.api.v1 import api

    doc = api.get_openapi_schema(path_prefix="/api/v1")
    filters = list(TicketFilters.model_fields)

    def query(path):
        return [p["name"] for p in doc["paths"][path]["get"]["parameters"] if p["in"] == "query"]

    tickets = "/api/v1/workspaces/{workspace}/tickets"
    assert query(tickets) == [*filters, "cursor", "before", "limit"]
    assert query(f"{tickets}/summary") == filters
    assert query(f"{tickets}/export.xlsx") == filters
    status = next(p for p in doc["paths"][tickets]["get"]["parameters"] if p["name"] == "status")
    assert status["schema"]["anyOf"][0]["enum"] == [
        "",
        "new",
        "open",
        "escalated",
        "resolved",
        "closed",
    ]


def test_a_repeated_parameter_counts_with_its_last_value(world, admin_api, as_user, cases):
    closed = Case.objects.get(status="closed").number
    r = admin_api.get(f"{BASE}/tickets?status=open&status=closed")
    assert numbers(r) == [closed]
    r = admin_api.get(f"{BASE}/tickets/summary?status=open&status=closed")
    assert r.json()["total"] == 1 and r.json()["closed"] == 1
    r = as_user(world.admin).get(f"{PAGE}?status=bogus&status=closed")
    assert r.status_code == 200
    assert [c.number for c in r.context["page"].items] == [closed]


@pytest.mark.parametrize("path", ["/tickets/summary", "/tickets/export.xlsx"])
@pytest.mark.parametrize(
    "params, errors",
    [
        (
            {"status": "pending"},
            {"status": "Unknown status 'pending'; one of: new, open, escalated, resolved, closed"},
        ),
        ({"created_to": "tomorrow"}, {"created_to": "Not a date (YYYY-MM-DD): 'tomorrow'"}),
        ({"owner": "me"}, {"owner": "Not a user id: 'me'"}),
        ({"segment": "²"}, {"segment": "Not a segment id: '²'"}),
        ({"owner": "999999"}, {"owner": "No such user."}),
        ({"customer_email": "a" * 255}, {"customer_email": "At most 254 characters."}),
        (
            {"origin": "fax", "priority": "urgent"},
            {
                "priority": "Unknown priority 'urgent'; one of: low, medium, high, critical",
                "origin": "Unknown origin 'fax'; one of: manual, survey_response, alert, chat, "
                "email, call, evaluation, coaching",
            },
        ),
    ],
)
def test_summary_and_export_refuse_bad_filters_by_name(
    world, admin_api, cases, path, params, errors
):
    r = admin_api.get(f"{BASE}{path}", params)
    assert r.status_code == 400, r.content
    assert r.json()["errors"] == errors
    assert Case.objects.count() == cases


def test_the_page_names_every_refused_filter(world, as_user, cases):
    r = as_user(world.admin).get(PAGE, {"status": "bogus", "segment": "abc", "created_to": "x"})
    assert r.status_code == 400
    assert r.context["filter_errors"] == {
        "status": "Unknown status 'bogus'; one of: new, open, escalated, resolved, closed",
        "segment": "Not a segment id: 'abc'",
        "created_to": "Not a date (YYYY-MM-DD): 'x'",
    }
    r = as_user(world.admin).get(PAGE, {"customer_email": "x\x00"})
    assert r.status_code == 400
    assert r.context["filter_errors"] == {
        "customer_email": "Contains a NUL character (\\u0000), which cannot be stored."
    }


def test_a_mistyped_page_parameter_is_still_a_422(world, admin_api):
    r = admin_api.get(f"{BASE}/tickets", {"limit": "ten", "status": "bogus"})
    assert r.status_code == 422
    assert set(r.json()["errors"]) == {"limit", "status"}
