"""CSAT after a resolved case: the invitation email, its personal link, answered once."""

import re

import pytest
from django.core import mail
from django.test import Client

from caredesk import events
from caredesk.care.models import Case
from caredesk.feedback.models import Invitation, Response
from caredesk.feedback.services import survey_create


@pytest.fixture
def csat(world):
    return survey_create(
        workspace=world.support, kind="csat", name="How did we do?", send_on_case_resolve=True
    )


def resolve(case, capture):
    with capture(execute=True):
        events.emit(
            events.CaseResolved(workspace=case.workspace_id, case=case.pk, actor=None).about(case)
        )


def test_resolved_case_invites_and_links_the_answer(
    world, csat, as_user, django_capture_on_commit_callbacks
):
    case = world.make_case(world.support, segment=world.store2, customer_email="ana@x.pt")
    resolve(case, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["ana@x.pt"] and message.subject == "How did we do?"
    assert f"ticket #{case.number}" in message.body
    link = re.search(r"http://\S+", message.body).group(0)
    path = link.split("127.0.0.1:8000", 1)[1]
    invitation = Invitation.objects.get()
    assert path == f"/s/{csat.token}/?i={invitation.token}"
    assert invitation.sent_at is not None

    page = Client().get(path).content.decode()
    assert 'name="customer_email"' not in page  # the invitation knows who answers
    with django_capture_on_commit_callbacks(execute=True):
        r = Client().post(path, {"score": "2", "comment": "Took too long"})
    assert r.status_code == 200
    response = Response.objects.get()
    assert response.case == case and response.customer_email == "ana@x.pt"
    assert response.contact_id == case.contact_id
    invitation.refresh_from_db()
    assert invitation.response == response and invitation.answered_at is not None

    # Once only: the page and a second post both say so, and nothing more is stored.
    again = Client().post(path, {"score": "5"})
    assert again.status_code == 409 and "already answered" in again.content.decode()
    assert Client().get(path).status_code == 409
    assert Response.objects.count() == 1

    html = as_user(world.admin).get(f"/w/support/feedback/responses/{response.pk}/").content
    assert f'?open={case.number}">#{case.number}</a>' in html.decode()
    api = as_user(world.admin).get(f"/api/v1/workspaces/support/surveys/{csat.pk}/responses")
    assert api.status_code == 405  # responses are read on the page; the API only takes them


def test_resolved_twice_invites_once(world, csat, django_capture_on_commit_callbacks):
    case = world.make_case(world.support, customer_email="ana@x.pt")
    resolve(case, django_capture_on_commit_callbacks)
    resolve(case, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1 and Invitation.objects.count() == 1


def test_no_invitation_without_email_or_survey(world, django_capture_on_commit_callbacks):
    case = world.make_case(world.support)
    resolve(case, django_capture_on_commit_callbacks)  # no survey sent on resolve
    assert Invitation.objects.count() == 0
    csat = survey_create(workspace=world.support, kind="csat", name="x", send_on_case_resolve=True)
    Case.objects.filter(pk=case.pk).update(customer_email="")
    case.refresh_from_db()
    resolve(case, django_capture_on_commit_callbacks)
    other = world.make_case(world.sales, customer_email="bo@x.pt")  # another workspace
    resolve(other, django_capture_on_commit_callbacks)
    assert Invitation.objects.count() == 0 and mail.outbox == []
    assert csat.send_on_case_resolve


def test_unknown_or_foreign_invitation_is_404(world, csat, django_capture_on_commit_callbacks):
    case = world.make_case(world.support, customer_email="ana@x.pt")
    resolve(case, django_capture_on_commit_callbacks)
    token = Invitation.objects.get().token
    other = survey_create(workspace=world.support, kind="csat", name="Other")
    assert Client().get(f"/s/{csat.token}/?i=nope").status_code == 404
    assert Client().post(f"/s/{other.token}/?i={token}", {"score": "1"}).status_code == 404
    assert Response.objects.count() == 0


def test_bad_score_through_invitation_keeps_it_open(
    world, csat, django_capture_on_commit_callbacks
):
    case = world.make_case(world.support, customer_email="ana@x.pt")
    resolve(case, django_capture_on_commit_callbacks)
    inv = Invitation.objects.get()
    r = Client().post(f"/s/{csat.token}/?i={inv.token}", {"score": "9"})
    assert r.status_code == 400 and "The score must be from 1 to 5." in r.content.decode()
    inv.refresh_from_db()
    assert inv.answered_at is None and Response.objects.count() == 0


def test_the_invitation_survives_a_process_dying_right_after_the_resolve(world, csat, api_client):
    """Resolved through the API, and nothing runs after the commit (as if the app process had
    been killed there): the invitation and its email are stored with the resolution, and the
    worker's minute sweep of queued email sends it."""
    from caredesk.mail.models import OutboundEmail
    from caredesk.mail.tasks import send_due_outbound_email

    case = world.make_case(world.support, segment=world.store2, customer_email="ana@x.pt")
    r = api_client(world.admin).patch(
        f"/api/v1/workspaces/support/tickets/{case.number}",
        {"status": "resolved", "comment": "Done", "resolution_reason": "resolved_contacted"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    invitation = Invitation.objects.get()
    assert (invitation.case_id, invitation.email) == (case.pk, "ana@x.pt")
    [queued] = OutboundEmail.objects.all()
    assert (queued.to, queued.subject, queued.status) == (["ana@x.pt"], "How did we do?", "queued")
    assert mail.outbox == []

    send_due_outbound_email()  # huey immediate: runs here (results are not kept)
    [message] = mail.outbox
    assert message.to == ["ana@x.pt"]
    assert f"/s/{csat.token}/?i={invitation.token}" in message.body
    send_due_outbound_email()
    assert len(mail.outbox) == 1
