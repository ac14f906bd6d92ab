"""`caredesk seed-demo` gives every demo chat, call, email, ticket and survey verbatim real
text in English, Portuguese, Italian and Bulgarian (by the store's country), verbatims that
fit their score, a topic taxonomy whose phrases occur in those texts, and business hours; a
second run changes none of it."""

import datetime as dt

from django.core.management import call_command

from caredesk.analysis.models import Topic
from caredesk.care.models import Case
from caredesk.demo.voices import VERBATIMS
from caredesk.feedback.models import Response
from caredesk.insights.models import BusinessHours, Holiday
from caredesk.journey.models import Activity
from caredesk.routing.models import Conversation, Message
from caredesk.workspaces.models import Workspace

# Words only one language of the four uses, to tell which one a text is in.
MARKERS = {
    "en": ("the", "and", "my", "you", "i", "is", "was", "to", "please", "of", "it"),
    "pt-br": (
        "não", "pedido", "obrigado", "você", "ninguém", "minha", "muito", "quero", "do",
        "da", "com", "é", "para", "o", "os", "foi", "está", "de",
    ),
    "it": (
        "non", "ordine", "grazie", "il", "di", "mi", "nessuno", "voglio", "della", "per",
        "che", "è", "ho", "sono", "la", "del", "un",
    ),
}  # fmt: skip
CYRILLIC = set("абвгдежзийклмнопрстуфхцчшщъьюя")


def _language(text: str) -> str:
    lowered = text.lower()
    if CYRILLIC & set(lowered):
        return "bg"
    for mark in ",.!?:;'’()\n":
        lowered = lowered.replace(mark, " ")
    words = lowered.split()
    scores = {lang: sum(1 for w in words if w in m) for lang, m in MARKERS.items()}
    return max(scores, key=scores.get) if max(scores.values()) else ""


def _state():
    return {
        "topics": sorted(Topic.objects.values_list("workspace_id", "name", "parent__name")),
        "messages": Message.objects.count(),
        "activities": Activity.objects.count(),
        "responses": sorted(Response.objects.values_list("external_id", "comment", "language")),
        "emails": sorted(
            Activity.objects.filter(media_type="email").values_list("external_id", "body")
        ),
        "tickets": sorted(Case.objects.values_list("number", "customer_comment")),
        "hours": sorted(BusinessHours.objects.values_list("workspace_id", "week")),
        "holidays": Holiday.objects.count(),
    }


def test_the_demo_speaks_four_languages_and_a_second_run_changes_nothing(db, capsys):
    call_command("seed_demo", tickets=120)
    first = _state()
    call_command("seed_demo", tickets=120)
    assert "Demo data already present; nothing changed." in capsys.readouterr().out
    assert _state() == first
    support = Workspace.objects.get(slug="support")

    # Chats: several messages from both sides, the conversation's language in the text.
    conversations = list(Conversation.objects.filter(workspace=support))
    assert {c.language for c in conversations} == {"en", "pt-br", "it", "bg"}
    bodies = {}
    for conv_id, sender, body in Message.objects.values_list(
        "conversation_id", "sender", "body"
    ).order_by("conversation_id", "created_at", "pk"):
        bodies.setdefault(conv_id, []).append((sender, body))
    for c in conversations:
        lines = bodies[c.pk]
        assert len(lines) >= 6
        assert {s for s, _ in lines} == {"customer", "agent"}
        assert _language(" ".join(b for s, b in lines if s == "customer")) == c.language
    every_chat = " ".join(b for lines in bodies.values() for _, b in lines)
    calls = list(Activity.objects.filter(workspace=support, media_type="call"))
    spoken = " ".join(s["text"] for c in calls for s in c.context["transcript"])
    # Angry customers, requests for a manager, repetitions, praise, in each language.
    for phrase in (
        "I want to speak to a manager",
        "Quero falar com o gerente",
        "Voglio parlare con un responsabile",
        "Искам да говоря с управител",
        "As I already said:",
        "Como eu já disse:",
        "Come ho già detto:",
        "Както вече казах:",
        "thank you so much",
        "cancel",
    ):
        assert phrase in every_chat + spoken, phrase

    # Calls: transcripts in segments, by both speakers, in the four languages.
    assert calls
    found = set()
    for call in calls:
        segments = call.context["transcript"]
        assert {s["speaker"] for s in segments} == {"agent", "customer"}
        assert all(s["text"] and s["at"] for s in segments)
        found.add(_language(" ".join(s["text"] for s in segments)))
    assert found == {"en", "pt-br", "it", "bg"}

    # Emails: the customer's and the reply, attached to their ticket, in the four languages.
    emails = Activity.objects.filter(workspace=support, media_type="email")
    inbound = list(emails.filter(direction="inbound").select_related("case"))
    assert inbound and emails.filter(direction="outbound").exists()
    assert all(e.case is not None and e.case.customer_comment == e.body for e in inbound)
    assert {_language(e.body) for e in inbound} == {"en", "pt-br", "it", "bg"}

    # Tickets: the first comment in the store's language (or English).
    country_of = {"Portugal": "pt-br", "Italy": "it", "Bulgaria": "bg"}
    for case in Case.objects.filter(workspace=support, origin="manual").select_related(
        "segment__parent__parent"
    ):
        lang = _language(case.customer_comment)
        assert lang in ("en", country_of[case.segment.parent.parent.name]), case.customer_comment

    # Verbatims: in the response's language, a complaint for 0–6, praise for 9–10.
    responses = list(Response.objects.filter(workspace=support).select_related("survey"))
    assert len(responses) == 240
    assert {r.language for r in responses} == {"en", "pt-br", "it", "bg"}
    spread = max(r.responded_at for r in responses) - min(r.responded_at for r in responses)
    assert spread > dt.timedelta(days=60)
    for r in responses:
        if not r.comment:
            continue
        band = VERBATIMS[r.language]
        assert r.comment in sum(band.values(), []), r.comment
        if r.survey.kind == "nps" and r.score <= 6 or r.survey.kind == "csat" and r.score <= 2:
            assert r.comment in band["detractor"]
        elif r.survey.kind == "nps" and r.score >= 9 or r.survey.kind == "csat" and r.score >= 4:
            assert r.comment in band["promoter"]

    # The taxonomy: a dozen topics, some below others, each with phrases in the four
    # languages that the demo's texts use.
    topics = list(Topic.objects.filter(workspace=support))
    assert len(topics) >= 12
    assert sum(1 for t in topics if t.parent_id) >= 3
    corpus = " ".join(
        [every_chat, spoken, *(e.body for e in inbound), *(r.comment for r in responses)]
    ).lower()
    for t in topics:
        assert sorted(t.phrases) == ["bg", "en", "it", "pt"]
        for lang, phrases in t.phrases.items():
            assert any(p.lower() in corpus for p in phrases), (t.name, lang)
    assert Topic.objects.filter(workspace__slug="sales").count() == len(topics)

    # Business hours 09–18 on weekdays, a few holidays.
    hours = BusinessHours.objects.get(workspace=support)
    assert hours.week["0"] == [["09:00", "18:00"]] and hours.week["6"] == []
    assert Holiday.objects.filter(workspace=support).count() >= 2
