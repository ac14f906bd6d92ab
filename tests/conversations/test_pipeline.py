"""Each source is analysed as it arrives, through the app's own ways in: a chat when it ends,
a call when its transcript comes, an email when it is received, a survey verbatim when it is
submitted; the stored analysis carries its evidence (GET …/analysis)."""

from email.message import EmailMessage

import pytest
from django.test import override_settings

from caredesk.analysis.models import Analysis, AnalysisTopic
from caredesk.feedback import services as feedback
from caredesk.mail import inbound
from caredesk.mail.models import ReplyAddress
from caredesk.routing import services as routing

from ..journey.conftest import start_chat
from .conftest import BASE, send


@pytest.fixture
def admin_api(world, api_client):
    return api_client(world.admin)


@pytest.fixture
def agent_api(world, api_client):
    return api_client(world.agent)


def customer_says(conversation, text, n):
    routing.message_post(conversation=conversation, sender="customer", client_id=f"c{n}", body=text)


def test_a_chat_is_analysed_when_it_ends_with_its_evidence(
    world, topics, admin_api, agent_api, committed
):
    chat = start_chat(world)
    with committed():
        customer_says(chat, "I was charged twice on my invoice, this is terrible!", 1)
        r = send(
            agent_api,
            "post",
            f"{BASE}/conversations/{chat.public_token}/messages",
            {"client_id": "a1", "body": "Sorry about that, I will issue a refund now."},
        )
        assert r.status_code == 201, r.content
        customer_says(chat, "Great, thank you so much!", 2)
    activity_id = chat.activity.pk
    # Not analysed message by message: only once the chat ends.
    assert not Analysis.objects.filter(source="activity", source_id=activity_id).exists()
    with committed():
        r = send(agent_api, "post", f"{BASE}/conversations/{chat.public_token}/end")
        assert r.status_code == 200, r.content

    r = admin_api.get(f"{BASE}/activities/{activity_id}/analysis")
    assert r.status_code == 200, r.content
    a = r.json()
    assert (a["source"], a["source_id"], a["media_type"]) == ("activity", activity_id, "chat")
    assert [u["side"] for u in a["units"]] == ["customer", "agent", "customer"]
    assert a["language"] == "en"
    first, _, last = a["units"]
    assert first["label"] == "negative" and last["label"] == "positive"
    words = {e["word"].lower() for e in first["evidence"]}
    assert "terrible" in words
    for e in first["evidence"]:
        assert first["text"][e["start"] : e["end"]].lower() == e["word"].lower()
    assert a["start_sentiment"] < 0 < a["end_sentiment"]
    found = {t["name"]: t["evidence"] for t in a["topics"]}
    # "refund" (a subtopic of Billing) was said by the agent; "invoice" by the customer.
    assert set(found) >= {"Billing"}
    span = found["Billing"][0]
    unit = a["units"][span["unit"]]["text"]
    assert unit[span["start"] : span["end"]].lower() in ("invoice", "charged twice", "refund")
    assert a["agent_sentiment"] is not None and a["customer_sentiment"] is not None


def test_a_call_is_analysed_per_transcript_segment(world, topics, admin_api, committed):
    with committed():
        r = send(
            admin_api,
            "post",
            f"{BASE}/calls/events",
            {"call_id": "c-9", "event": "ringing", "caller": "+351912345678", "queue": ""},
        )
        assert r.status_code == 201, r.content
    activity_id = r.json()["activity"]
    assert not Analysis.objects.filter(source_id=activity_id).exists()  # no text yet
    with committed():
        r = send(
            admin_api,
            "post",
            f"{BASE}/calls/c-9/transcript",
            {
                "segments": [
                    {"speaker": "agent", "text": "Good morning, how can I help?"},
                    {
                        "speaker": "customer",
                        "text": "My parcel never arrived. I want to cancel my subscription.",
                    },
                ]
            },
        )
        assert r.status_code == 200, r.content
    a = admin_api.get(f"{BASE}/activities/{activity_id}/analysis").json()
    assert [u["side"] for u in a["units"]] == ["agent", "customer"]
    assert [t["name"] for t in a["topics"]] == ["Delivery"]
    assert "churn" in {s["kind"] for s in a["signals"]}
    row = Analysis.objects.get(source="activity", source_id=activity_id)
    assert (row.churn, row.escalation, row.media_type) == (True, False, "call")
    # A plain-text transcript sent again replaces it: one unit.
    with committed():
        send(admin_api, "post", f"{BASE}/calls/c-9/transcript", {"text": "All fine, thanks."})
    a = admin_api.get(f"{BASE}/activities/{activity_id}/analysis").json()
    assert [u["text"] for u in a["units"]] == ["All fine, thanks."]
    assert a["topics"] == [] and a["signals"] == []
    assert AnalysisTopic.objects.filter(analysis__source_id=activity_id).count() == 0


@override_settings(CAREDESK_REPLY_DOMAIN="reply.acme.test")
def test_an_inbound_email_is_analysed_with_its_subject(world, topics, admin_api, committed):
    case = world.make_case(world.support, segment=world.lisbon, customer_email="ana@example.com")
    token = ReplyAddress.objects.create(case=case).token
    m = EmailMessage()
    m["From"] = "Ana <ana@example.com>"
    m["To"] = f"reply+{token}@reply.acme.test"
    m["Subject"] = "Fattura sbagliata"
    m["Message-ID"] = "<m1@example.com>"
    m.set_content("Buongiorno, la fattura è sbagliata. Voglio un rimborso, è inaccettabile.")
    with committed():
        received = inbound.receive(m.as_bytes(), [m["To"]])
    a = admin_api.get(f"{BASE}/activities/{received.activity.pk}/analysis").json()
    assert a["language"] == "it"
    assert a["units"][0]["text"].startswith("Fattura sbagliata\n")
    assert {t["name"] for t in a["topics"]} == {"Billing", "Refund"}
    row = Analysis.objects.get(source="activity", source_id=received.activity.pk)
    assert (row.case_id, row.segment_path, row.media_type) == (case.pk, case.segment_path, "email")


def test_a_survey_verbatim_is_analysed_with_its_score(world, topics, admin_api, committed):
    survey = feedback.survey_create(workspace=world.support, kind="nps", name="Visit")
    with committed():
        r = send(
            admin_api,
            "post",
            f"{BASE}/surveys/{survey.pk}/responses",
            {
                "score": 3,
                "comment": "A fatura veio errada, péssimo atendimento.",
                "segment": world.store1.pk,
            },
        )
        assert r.status_code == 201, r.content
        silent = send(admin_api, "post", f"{BASE}/surveys/{survey.pk}/responses", {"score": 9})
    rid = r.json()["id"]
    a = admin_api.get(f"{BASE}/responses/{rid}/analysis").json()
    assert (a["source"], a["score"], a["language"], a["label"]) == ("response", 3, "pt", "negative")
    assert [t["name"] for t in a["topics"]] == ["Billing"]
    row = Analysis.objects.get(source="response", source_id=rid)
    assert (row.survey_id, row.survey_kind, row.segment_path) == (
        survey.pk,
        "nps",
        world.store1.path,
    )
    # No verbatim, no analysis.
    r = admin_api.get(f"{BASE}/responses/{silent.json()['id']}/analysis")
    assert r.status_code == 404
    assert r.json()["detail"]
