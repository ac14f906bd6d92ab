from django.test import Client

from caredesk.care.models import Case
from caredesk.customers.services import contact_create

from .conftest import BASE


def test_no_auth_is_401_json(world):
    r = Client().get(f"{BASE}/tickets")
    assert r.status_code == 401
    assert r["Content-Type"].startswith("application/json")
    assert r.json() == {"detail": "Authentication required: a Bearer token or a signed-in session."}


def test_anonymous_post_is_401_not_a_csrf_failure(world):
    r = Client(enforce_csrf_checks=True).post(
        f"{BASE}/tickets",
        {"customer_email": "a@b.co", "comment": "x"},
        content_type="application/json",
    )
    assert r.status_code == 401


def test_bad_bearer_token_is_401(world):
    r = Client(HTTP_AUTHORIZATION="Bearer cd_not-a-real-token").get(f"{BASE}/tickets")
    assert r.status_code == 401
    assert "detail" in r.json()


def test_bearer_token_authenticates(world, api_client):
    r = api_client(world.admin).get(f"{BASE}/tickets")
    assert r.status_code == 200
    assert r.json() == {"items": [], "next_cursor": None, "prev_cursor": None}


def test_session_auth_reads(world, as_user):
    world.make_case(world.support)
    r = as_user(world.admin).get(f"{BASE}/tickets")
    assert r.status_code == 200
    assert len(r.json()["items"]) == 1


def _session_client(user) -> Client:
    c = Client(enforce_csrf_checks=True)
    c.force_login(user)
    return c


def test_session_post_without_csrf_token_is_refused(world):
    c = _session_client(world.admin)
    body = {"customer_email": "csrf@example.com", "comment": "Phone call"}
    r = c.post(f"{BASE}/tickets", body, content_type="application/json")
    assert r.status_code == 403
    assert r.json() == {"detail": "CSRF check Failed"}
    assert Case.objects.count() == 0


def test_session_post_with_csrf_token_is_accepted(world):
    c = _session_client(world.admin)
    secret = "a" * 32
    c.cookies["csrftoken"] = secret
    body = {"customer_email": "csrf@example.com", "comment": "Phone call"}
    r = c.post(f"{BASE}/tickets", body, content_type="application/json", HTTP_X_CSRFTOKEN=secret)
    assert r.status_code == 201, r.content
    assert Case.objects.count() == 1


def test_agent_without_inbox_access_gets_403(world, api_client):
    c = api_client(world.agent)
    r = c.get(f"{BASE}/tickets")
    assert r.status_code == 403
    assert r.json() == {
        "detail": "You need access to tickets. Ask an admin of this workspace: Admin."
    }
    assert c.get(f"{BASE}/tickets/summary").status_code == 403
    # use_care is enough for segments and customers.
    assert c.get(f"{BASE}/segments").status_code == 200
    assert c.get(f"{BASE}/customers").status_code == 200


def test_user_without_membership_gets_403(world, api_client):
    # manager is only a member of support, not sales.
    r = api_client(world.manager).get("/api/v1/workspaces/sales/tickets")
    assert r.status_code == 403
    assert r.json()["detail"] == (
        "You need access to the care app of this workspace. Ask an admin of this workspace: Admin."
    )


def test_outsider_gets_404_for_another_organizations_workspace(world, api_client):
    c = api_client(world.outsider)
    r = c.get("/api/v1/workspaces/sales/tickets")
    assert r.status_code == 404
    assert r.json() == {"detail": "No such workspace"}
    assert c.get("/api/v1/workspaces/sales/segments").status_code == 404


def test_outsider_same_slug_reaches_only_own_organization(world, api_client):
    # "support" exists in both organizations: the outsider gets their own, never Acme's.
    acme_case = world.make_case(world.support)
    acme_contact = contact_create(organization=world.org, name="Acme person", emails=["p@acme.com"])
    c = api_client(world.outsider)
    r = c.get(f"{BASE}/tickets")
    assert r.status_code == 200
    assert r.json()["items"] == []
    assert c.get(f"{BASE}/tickets/{acme_case.number}").status_code == 404
    assert c.get(f"{BASE}/customers/{acme_contact.pk}").status_code == 404
    assert c.get(f"{BASE}/customers", {"q": "Acme"}).json() == []
    assert c.get(f"{BASE}/segments").json() == []


def test_unknown_workspace_is_404(world, admin_api):
    r = admin_api.get("/api/v1/workspaces/nope/tickets")
    assert r.status_code == 404
    assert r.json() == {"detail": "No such workspace"}


def test_openapi_lists_every_operation(world):
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    ws = "/api/v1/workspaces/{workspace}"
    expected = {
        f"{ws}/tickets": {"get", "post"},
        f"{ws}/tickets/summary": {"get"},
        f"{ws}/tickets/export.xlsx": {"get"},
        f"{ws}/tickets/{{number}}": {"get", "patch"},
        f"{ws}/tickets/{{number}}/assign-to-me": {"post"},
        f"{ws}/tickets/{{number}}/comments": {"get"},
        f"{ws}/tickets/{{number}}/logs": {"get"},
        f"{ws}/segments": {"get"},
        f"{ws}/customers": {"get", "post"},
        f"{ws}/customers/{{contact_id}}": {"get", "patch"},
        f"{ws}/accounts": {"get", "post"},
        f"{ws}/accounts/{{account_id}}": {"get", "patch"},
        f"{ws}/surveys": {"get", "post"},
        f"{ws}/surveys/{{survey_id}}/responses": {"post"},
        f"{ws}/surveys/{{survey_id}}/responses/bulk": {"post"},
        f"{ws}/alert-rules": {"get", "post"},
        f"{ws}/alert-rules/{{rule_id}}": {"put"},
        f"{ws}/alert-rules/{{rule_id}}/active": {"post"},
        f"{ws}/conversations": {"get"},
        f"{ws}/conversations/{{token}}": {"get"},
        f"{ws}/conversations/{{token}}/messages": {"post"},
        f"{ws}/conversations/{{token}}/end": {"post"},
        f"{ws}/conversations/{{token}}/contact": {"put"},
        f"{ws}/offers": {"get"},
        f"{ws}/offers/{{offer_id}}/accept": {"post"},
        f"{ws}/offers/{{offer_id}}/decline": {"post"},
        f"{ws}/presence": {"get", "put"},
        f"{ws}/queues": {"get", "post"},
        f"{ws}/queues/{{queue_id}}": {"patch"},
        f"{ws}/skills": {"get", "post"},
        f"{ws}/agents": {"get"},
        f"{ws}/agents/{{user_id}}": {"put"},
        f"{ws}/customers/{{contact_id}}/activities": {"get"},
        f"{ws}/accounts/{{account_id}}/activities": {"get"},
        f"{ws}/tickets/{{number}}/activities": {"get"},
        f"{ws}/activities": {"post"},
        f"{ws}/activities/{{activity_id}}": {"get"},
        f"{ws}/activities/{{activity_id}}/move": {"post"},
        f"{ws}/activities/{{activity_id}}/ticket": {"post"},
        f"{ws}/activities/{{activity_id}}/tags": {"post"},
        f"{ws}/activities/{{activity_id}}/tags/{{tag}}": {"delete"},
        f"{ws}/activities/{{activity_id}}/comments": {"get", "post"},
        f"{ws}/calls/events": {"post"},
        f"{ws}/calls/{{call_id}}/transcript": {"post"},
        f"{ws}/calibrations": {"get", "post"},
        f"{ws}/calibrations/{{calibration_id}}": {"get"},
        f"{ws}/calibrations/{{calibration_id}}/evaluations": {"post"},
        f"{ws}/calibrations/{{calibration_id}}/close": {"post"},
        f"{ws}/evaluations/{{evaluation_id}}/appeals": {"post"},
        f"{ws}/appeals": {"get"},
        f"{ws}/appeals/{{appeal_id}}": {"get"},
        f"{ws}/appeals/{{appeal_id}}/decision": {"post"},
        # Coaching (caredesk.api.coaching).
        f"{ws}/coaching-plans": {"get"},
        f"{ws}/coaching-plans/{{agent_id}}": {"get"},
        f"{ws}/coaching-sessions": {"get", "post"},
        f"{ws}/coaching-sessions/{{session_id}}": {"get", "patch", "delete"},
        f"{ws}/coaching-sessions/{{session_id}}/action-items": {"post"},
        f"{ws}/coaching-sessions/{{session_id}}/action-items/{{item_id}}": {"patch"},
        f"{ws}/coach-assignments": {"get", "post"},
        f"{ws}/coach-assignments/{{assignment_id}}": {"get", "delete"},
        f"{ws}/sampling-rules": {"get", "post"},
        f"{ws}/sampling-rules/{{rule_id}}": {"patch", "delete"},
        f"{ws}/review-queue": {"get"},
        f"{ws}/review-queue/counts": {"get"},
        f"{ws}/review-queue/{{item_id}}/claim": {"post"},
        f"{ws}/review-queue/{{item_id}}/skip": {"post"},
        f"{ws}/evaluations": {"get", "post"},
        f"{ws}/evaluations/{{evaluation_id}}": {"get", "patch"},
        f"{ws}/evaluations/{{evaluation_id}}/acknowledge": {"post"},
        f"{ws}/evaluations/{{evaluation_id}}/agent": {"post"},
        f"{ws}/coaching-cases": {"post"},
        f"{ws}/scorecards": {"get", "post"},
        f"{ws}/scorecards/{{scorecard_id}}": {"get", "patch"},
        f"{ws}/scorecards/{{scorecard_id}}/versions": {"get"},
        f"{ws}/scorecards/{{scorecard_id}}/versions/{{number}}": {"get"},
        f"{ws}/scorecards/{{scorecard_id}}/rescore": {"post"},
        f"{ws}/scorecards/{{scorecard_id}}/rescores/{{job_id}}": {"get"},
        # Search (caredesk.api.search, issue 14).
        f"{ws}/search": {"get"},
        # Metrics (caredesk.api.metrics).
        f"{ws}/metrics": {"get"},
        f"{ws}/metrics/catalogue": {"get"},
        f"{ws}/metrics/{{metric}}/rows": {"get"},
        # Business hours and holidays (caredesk.api.business_hours, issue 14).
        f"{ws}/business-hours": {"get", "put"},
        f"{ws}/business-hours/holidays": {"post"},
        f"{ws}/business-hours/holidays/{{holiday_id}}": {"delete"},
        # Topics and analyses (issue 14, conversations: caredesk.api.topics, .analysis).
        f"{ws}/topics": {"get", "post"},
        f"{ws}/topics/{{topic_id}}": {"get", "patch", "delete"},
        f"{ws}/activities/{{activity_id}}/analysis": {"get"},
        f"{ws}/responses/{{response_id}}/analysis": {"get"},
        # Action plans and the resource center (issue 15).
        f"{ws}/action-plans": {"get", "post"},
        f"{ws}/action-plans/{{plan_id}}": {"get", "patch"},
        f"{ws}/action-plans/{{plan_id}}/comments": {"get", "post"},
        f"{ws}/action-plans/{{plan_id}}/links": {"get", "post"},
        f"{ws}/action-plans/{{plan_id}}/links/{{link_id}}": {"delete"},
        f"{ws}/action-plans/{{plan_id}}/log": {"get"},
        f"{ws}/action-plans/{{plan_id}}/tasks": {"get", "post"},
        f"{ws}/action-plans/{{plan_id}}/tasks/{{task_id}}": {"delete", "patch"},
        f"{ws}/article-categories": {"get", "post"},
        f"{ws}/article-categories/{{category_id}}": {"delete", "patch"},
        f"{ws}/article-tags": {"get"},
        f"{ws}/articles": {"get", "post"},
        f"{ws}/articles/search": {"get"},
        f"{ws}/articles/{{article_id}}": {"get", "patch"},
        f"{ws}/articles/{{article_id}}/effectiveness": {"get"},
        f"{ws}/articles/{{article_id}}/translations": {"get", "post"},
        f"{ws}/articles/{{article_id}}/translations/{{language}}": {"get", "put"},
        f"{ws}/articles/{{article_id}}/translations/{{language}}/versions": {"get"},
        f"{ws}/articles/{{article_id}}/translations/{{language}}/versions/{{number}}": {"get"},
        f"{ws}/articles/{{article_id}}/translations/{{language}}/versions/{{number}}/restore": {
            "post"
        },
        f"{ws}/conversations/{{token}}/article-suggestions": {"get"},
        f"{ws}/conversations/{{token}}/article-uses": {"post"},
    }
    assert {p: set(ops) for p, ops in paths.items()} == expected
    schemas = r.json()["components"]["schemas"]
    for name in (
        "TicketOut",
        "TicketPage",
        "TicketCreateIn",
        "TicketUpdateIn",
        "ErrorOut",
        "TicketSummary",
        "ContactOut",
        "SegmentOut",
        "AuditOut",
        "CommentOut",
    ):
        assert name in schemas
    list_params = {p["name"] for p in paths[f"{ws}/tickets"]["get"]["parameters"]}
    assert {
        "status",
        "priority",
        "segment",
        "owner",
        "created_from",
        "created_to",
        "customer_email",
        "origin",
        "cursor",
        "before",
        "limit",
    } <= list_params
