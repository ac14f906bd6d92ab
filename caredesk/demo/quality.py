"""The demo's quality and coaching data (part of `caredesk seed-demo`): two scorecards, a few
hundred evaluations of real chats and calls over the last 90 days, coaching cases, edits,
appeals in every state, a calibration, coaching plans and sessions.

Everything goes through the quality services (scorecard_create, evaluation_create,
evaluation_edit, evaluation_rescore_answers), acting as the demo's coach and manager, so the
scores, the logs and the coaching cases are the ones the product makes. What the services stamp
with the current time (an evaluation's created_at, its log, a coaching case's dates) is then
moved back to when the work was evaluated, so the 90 days read like 90 days.

Deterministic (random.Random(seed)); `seed_quality` runs once per workspace (the caller checks
that the workspace has no scorecard yet)."""

import datetime as dt
import random
from dataclasses import dataclass

from caredesk.audit.models import AuditEntry
from caredesk.care.models import COACHING_ORIGINS, Case, CaseComment, Status
from caredesk.coaching.models import ActionItem, CoachingPlan, CoachingSession, SessionStatus
from caredesk.coaching.plans import plans_build
from caredesk.customers.models import Contact
from caredesk.demo.texts import LINES, MOODS
from caredesk.journey.models import Activity, Direction, MediaType
from caredesk.quality import scoring
from caredesk.quality.models import (
    Appeal,
    AppealItem,
    AppealStatus,
    CalibrationSession,
    CalibrationStatus,
    CoachAssignment,
    Evaluation,
    EvaluationChange,
    EvaluationKind,
)
from caredesk.quality.people import agent_segment_path
from caredesk.quality.scorecards import scorecard_create
from caredesk.quality.services import evaluation_create, evaluation_edit, evaluation_rescore_answers
from caredesk.routing.models import AgentProfile, Conversation, ConversationStatus, Message, Queue
from caredesk.workspaces import services as ws
from caredesk.workspaces.access import Access, get_access
from caredesk.workspaces.models import Membership, Segment, Tab, User
from caredesk.workspaces.permissions import UserKind

DAYS = 90

CHAT_CARD = {
    "name": "Chat quality",
    "pass_mark": 80,
    "media_types": ["chat"],
    "sections": [
        {
            "title": "Opening",
            "criteria": [
                {
                    "key": "greet",
                    "question": "Greeted the customer by name and introduced themselves",
                    "weight": 1,
                    "scale": "yes_no",
                    "recommendation": "Use the opening from the chat playbook: the customer's "
                    "name, your name, an offer to help.",
                },
                {
                    "key": "tone",
                    "question": "Tone and empathy",
                    "weight": 2,
                    "scale": "1_5",
                    "na_allowed": True,
                    "recommendation": "Academy module 'Writing with empathy' (20 min); "
                    "acknowledge the problem before solving it.",
                },
            ],
        },
        {
            "title": "Handling",
            "criteria": [
                {
                    "key": "resolution",
                    "question": "Resolution",
                    "weight": 4,
                    "scale": "custom",
                    "points": [
                        {"value": 0, "label": "Not resolved", "score": 0},
                        {"value": 1, "label": "Partly: handed on with a follow-up", "score": 60},
                        {"value": 2, "label": "Resolved in the chat", "score": 100},
                    ],
                    "recommendation": "Shadow a senior agent on billing and delivery chats; "
                    "review the refund and rebooking tools in the knowledge base.",
                },
                {
                    "key": "next_steps",
                    "question": "Explained the next steps clearly",
                    "weight": 2,
                    "scale": "yes_no",
                    "recommendation": "Close every chat with what happens next, when, and how "
                    "the customer reaches you again.",
                },
            ],
        },
        {
            "title": "Compliance",
            "criteria": [
                {
                    "key": "identity",
                    "question": "Verified the customer's identity before discussing the account",
                    "weight": 3,
                    "scale": "yes_no",
                    "auto_fail": True,
                    "recommendation": "Data-protection refresher (mandatory): ask for the "
                    "order email and the postcode before opening any account.",
                },
                {
                    "key": "bonus",
                    "question": "Went the extra mile",
                    "weight": 5,
                    "scale": "yes_no",
                    "bonus": True,
                    "recommendation": "Look at the chats of the month in the team channel for "
                    "ideas.",
                },
            ],
        },
    ],
}

CALL_CARD = {
    "name": "Call quality",
    "pass_mark": 75,
    "media_types": ["call"],
    "sections": [
        {
            "title": "Opening",
            "criteria": [
                {
                    "key": "greet",
                    "question": "Used the standard call greeting",
                    "weight": 1,
                    "scale": "yes_no",
                    "recommendation": "Practise the greeting script with your coach.",
                },
                {
                    "key": "disclosure",
                    "question": "Told the caller the call is recorded",
                    "weight": 2,
                    "scale": "yes_no",
                    "auto_fail": True,
                    "recommendation": "Legal requirement: say the recording notice in the "
                    "first 30 seconds of every call.",
                },
            ],
        },
        {
            "title": "Handling",
            "criteria": [
                {
                    "key": "listening",
                    "question": "Listening and empathy",
                    "weight": 3,
                    "scale": "0_10",
                    "recommendation": "Academy module 'Active listening on the phone'.",
                },
                {
                    "key": "hold",
                    "question": "Asked before putting the caller on hold",
                    "weight": 1,
                    "scale": "yes_no",
                    "na_allowed": True,
                    "recommendation": "Ask, say why and for how long, thank the caller after.",
                },
                {
                    "key": "resolution",
                    "question": "First-call resolution",
                    "weight": 4,
                    "scale": "custom",
                    "points": [
                        {"value": 0, "label": "Caller must call again", "score": 0},
                        {"value": 1, "label": "Follow-up promised with a date", "score": 60},
                        {"value": 2, "label": "Resolved on the call", "score": 100},
                    ],
                    "recommendation": "Review the billing and delivery tools so fewer calls "
                    "need a follow-up.",
                },
            ],
        },
    ],
}

# The demo agents besides the `agent` and `agent2` logins (password "demo" too).
EXTRA_AGENTS = [
    ("tiago.santos", "Tiago", "Santos"),
    ("beatriz.costa", "Beatriz", "Costa"),
    ("giulia.romano", "Giulia", "Romano"),
    ("nikolai.georgiev", "Nikolai", "Georgiev"),
]


@dataclass(frozen=True)
class Profile:
    """How an agent works: `skill` (0–1) is the chance of doing each thing right and
    `skips_identity` the chance of not verifying the customer. An improving agent moves from
    those to `skill_late` / `skips_identity_late`, steadily from `turn` (0: 90 days ago,
    1: today) on."""

    store: str
    languages: tuple[str, ...]
    skill: float
    skips_identity: float
    skill_late: float | None = None
    skips_identity_late: float | None = None
    turn: float = 0.0

    def at(self, progress: float) -> tuple[float, float]:
        """(skill, chance of skipping the identity check) at `progress`."""
        if self.skill_late is None or progress <= self.turn:
            return self.skill, self.skips_identity
        k = (progress - self.turn) / (1 - self.turn)
        late_skips = self.skips_identity_late
        return (
            self.skill + (self.skill_late - self.skill) * k,
            self.skips_identity + (late_skips - self.skips_identity) * k,
        )


# The coaching session that turned Ivan around, in days ago (seed_sessions).
IVAN_COACHED_DAYS_AGO = 42

PROFILES = {
    # Ivan: weak and often skipping the identity check until his coaching session six weeks
    # ago, better every week since.
    "agent": Profile(
        "Lisbon Chiado",
        ("pt-br", "en"),
        0.55,
        0.3,
        skill_late=0.93,
        skips_identity_late=0.02,
        turn=1 - IVAN_COACHED_DAYS_AGO / 90,
    ),
    # Sofia: the strong one.
    "agent2": Profile("Porto Ribeira", ("pt-br", "en"), 0.93, 0.01),
    # Tiago: good with customers, but often skips the identity check.
    "tiago.santos": Profile("Lisbon Belém", ("pt-br", "en"), 0.84, 0.3),
    "beatriz.costa": Profile("Porto Boavista", ("pt-br", "en"), 0.78, 0.05),
    "giulia.romano": Profile("Milan Duomo", ("it", "en"), 0.86, 0.04),
    "nikolai.georgiev": Profile("Sofia Center", ("bg", "en"), 0.72, 0.06),
}
CHATS_PER_AGENT = 56
CALLS_PER_AGENT = 14
# Work of the last few days left unevaluated, for the review queue.
UNEVALUATED_DAYS = 3


@dataclass
class Work:
    """One chat or call made for the demo, with the answers its evaluation will give."""

    activity: Activity
    agent: User
    kind: str  # chat / call
    answers: dict[str, dict]  # criterion key -> {"value"|"na", "comment", "message_ref"}
    at: dt.datetime


def _clamp(v, lo, hi):
    return max(lo, min(hi, v))


def _chat_answers(rnd, skill, skips_identity) -> dict[str, dict]:
    tone = _clamp(round(rnd.gauss(1 + 4 * skill, 0.7)), 1, 5)
    roll = rnd.random()
    resolution = 2 if roll < skill else (1 if roll < skill + (1 - skill) * 0.6 else 0)
    return {
        "greet": {"value": int(rnd.random() < skill + 0.08)},
        "tone": {"na": True} if rnd.random() < 0.03 else {"value": tone},
        "resolution": {"value": resolution},
        "next_steps": {"value": int(rnd.random() < skill + 0.05)},
        "identity": {"value": int(rnd.random() >= skips_identity)},
        "bonus": {"value": int(rnd.random() < 0.25 * skill)} if rnd.random() < 0.6 else {},
    }


def _call_answers(rnd, skill, skips_identity) -> dict[str, dict]:
    roll = rnd.random()
    resolution = 2 if roll < skill else (1 if roll < skill + (1 - skill) * 0.6 else 0)
    held = rnd.random() < 0.4
    return {
        "greet": {"value": int(rnd.random() < skill + 0.1)},
        # The recording notice is forgotten about half as often as the identity check.
        "disclosure": {"value": int(rnd.random() >= skips_identity / 2)},
        "listening": {"value": _clamp(round(rnd.gauss(10 * skill, 1.2)), 0, 10)},
        "hold": {"value": int(rnd.random() < skill + 0.1)} if held else {"na": True},
        "resolution": {"value": resolution},
    }


COMMENTS = {
    "identity": "Opened the account details without checking the customer's identity.",
    "tone": "Short answers; the customer's frustration was not acknowledged.",
    "resolution": "The customer left without a solution; the tool to fix this was available.",
    "next_steps": "The customer was not told what happens next.",
    "greet": "No greeting by name.",
    "disclosure": "The recording notice was not given.",
    "listening": "Interrupted the caller twice.",
}


def _chat_lines(rnd, lang, a, customer, agent_name, order) -> list[tuple[str, str, str]]:
    """(sender, key, text) lines of a chat that shows answers `a`."""
    t = LINES[lang]
    sc = rnd.choice(t["scenarios"])
    fmt = {"customer": customer, "agent": agent_name, "order": order}
    out = [("customer", "open", sc["open"].format(**fmt))]
    greet = t["greet_named"] if a["greet"]["value"] else t["greet_plain"]
    out.append(("agent", "greet", greet.format(**fmt)))
    if a["identity"]["value"]:
        out += [
            ("agent", "verify", t["verify_ask"]),
            ("customer", "", t["verify_reply"]),
            ("agent", "", t["verify_thanks"]),
        ]
    out.append(("agent", "identity", sc["ask"]))
    out.append(("customer", "", sc["detail"].format(**fmt)))
    tone = a["tone"].get("value", 3)
    mood = _Mood(order, lang, out[0][2])
    if tone <= 2:
        out += mood.upset()
        out.append(("agent", "tone", t["curt"]))
        out += mood.repeats()
    elif tone >= 4:
        out.append(("agent", "tone", t["kind"]))
    out.append(("agent", "resolution", sc["outcomes"][a["resolution"]["value"]]))
    out += mood.escalates(a["resolution"]["value"])
    if a["next_steps"]["value"]:
        out.append(("agent", "next_steps", t["next_steps"]))
    if a["bonus"].get("value"):
        out.append(("agent", "bonus", t["extra_mile"]))
    happy = a["resolution"]["value"] == 2 and tone >= 3
    if happy:
        out += mood.praises()
    out.append(("customer", "", t["bye_happy"] if happy else t["bye_unhappy"]))
    return out


class _Mood:
    """What a customer adds besides the scenario: anger, a repeated complaint, a request for a
    manager, a threat to cancel, praise. Drawn from a generator of its own (seeded by the
    order number), so the main one, which decides the evaluations, does not depend on it."""

    def __init__(self, order: str, lang: str, opening: str):
        self.rnd = random.Random(order)
        self.m = MOODS[lang]
        self.opening = opening

    def _maybe(self, chance: float, key: str) -> list[tuple[str, str, str]]:
        if self.rnd.random() >= chance:
            return []
        return [("customer", "", self.m[key].format(open=self.opening))]

    def upset(self):
        return self._maybe(0.6, "angry")

    def repeats(self):
        return self._maybe(0.5, "repeat")

    def escalates(self, resolution: int):
        """After a problem left unsolved (0) or handed on (1)."""
        if resolution >= 2:
            return []
        strong = resolution == 0
        return (
            self._maybe(0.3, "repeat")
            + self._maybe(0.7 if strong else 0.25, "manager")
            + self._maybe(0.5 if strong else 0.15, "cancel_threat")
        )

    def praises(self):
        return self._maybe(0.4, "praise")


def _call_segments(rnd, lang, a, customer, agent_name, order) -> list[tuple[str, str, str]]:
    t = LINES[lang]
    sc = rnd.choice(t["scenarios"])
    fmt = {"customer": customer, "agent": agent_name, "order": order}
    out = []
    if a["greet"]["value"]:
        out.append(("agent", "greet", t["call_greeting"].format(**fmt)))
    else:
        out.append(("agent", "greet", t["greet_plain"]))
    if a["disclosure"]["value"]:
        out.append(("agent", "disclosure", t["call_disclosure"]))
    out.append(("customer", "", sc["open"].format(**fmt)))
    mood = _Mood(order, lang, out[-1][2])
    out.append(("agent", "listening", sc["ask"]))
    out.append(("customer", "", sc["detail"].format(**fmt)))
    if a["listening"]["value"] <= 4:
        out += mood.upset() + mood.repeats()
    if "value" in a["hold"]:
        out.append(("agent", "hold", t["hold"] if a["hold"]["value"] else t["curt"]))
    out.append(("agent", "resolution", sc["outcomes"][a["resolution"]["value"]]))
    out += mood.escalates(a["resolution"]["value"])
    happy = a["resolution"]["value"] == 2
    if happy:
        out += mood.praises()
    out.append(("customer", "", t["bye_happy"] if happy else t["bye_unhappy"]))
    return out


def _when(rnd, today) -> dt.datetime:
    """A moment in business hours (08:00–19:00 UTC) of one of the DAYS days before `today`
    (midnight), so the data made does not depend on the time of day the seed runs."""
    day = today - dt.timedelta(days=rnd.randrange(1, DAYS + 1))
    return day + dt.timedelta(hours=rnd.randrange(8, 19), minutes=rnd.randrange(60))


def _make_work(rnd, workspace, agents, contacts, today) -> list[Work]:
    """Ended chats (with their messages) and calls (with their transcripts) handled by the
    demo agents over the last 90 days, and the answers each will be scored with."""
    queues = {q.name: q for q in Queue.objects.filter(workspace=workspace)}
    general = queues.get("General") or next(iter(queues.values()))
    plan = []
    for username, agent in agents.items():
        profile = PROFILES[username]
        for kind, n in (("chat", CHATS_PER_AGENT), ("call", CALLS_PER_AGENT)):
            for _ in range(n):
                at = _when(rnd, today)
                plan.append((at, username, agent, kind))
    plan.sort(key=lambda p: (p[0], p[1], p[3]))
    made: list[Work] = []
    conversations, lines_of, activities = [], [], []
    for i, (at, username, agent, kind) in enumerate(plan):
        profile = PROFILES[username]
        progress = 1 - (today - at).total_seconds() / (DAYS * 86400)
        skill, skips = profile.at(progress)
        lang = rnd.choice(profile.languages)
        contact = rnd.choice(contacts)
        customer = contact.name.split()[0]
        order = f"A-{20000 + i}"
        minutes = rnd.randrange(4, 26)
        start = at - dt.timedelta(minutes=minutes)
        queue = rnd.choice([general, queues.get("Billing", general)])
        if kind == "chat":
            answers = _chat_answers(rnd, skill, skips)
            lines = _chat_lines(rnd, lang, answers, customer, agent.first_name, order)
            conversations.append(
                Conversation(
                    workspace=workspace,
                    queue=queue,
                    contact=contact,
                    status=ConversationStatus.ENDED,
                    pre_chat={"name": contact.name, "topic": queue.name},
                    language=lang,
                    accepted_at=start,
                    ended_at=at,
                    wait_seconds=rnd.randrange(5, 180),
                )
            )
            lines_of.append((len(conversations) - 1, lines, start, at))
            activity = Activity(
                workspace=workspace,
                media_type=MediaType.CHAT,
                contact=contact,
                account_id=contact.account_id,
                agent=agent,
                channel="web chat",
                queue_name=queue.name,
                started_at=start,
                ended_at=at,
                occurred_at=start,
            )
        else:
            answers = _call_answers(rnd, skill, skips)
            segs = _call_segments(rnd, lang, answers, customer, agent.first_name, order)
            step = dt.timedelta(seconds=minutes * 60 / (len(segs) + 1))
            transcript = [
                {"speaker": who, "text": text, "at": (start + step * j).isoformat()}
                for j, (who, _key, text) in enumerate(segs)
            ]
            wait = rnd.randrange(10, 240)
            activity = Activity(
                workspace=workspace,
                media_type=MediaType.CALL,
                direction=Direction.INBOUND,
                contact=contact,
                account_id=contact.account_id,
                agent=agent,
                queue_name=queue.name,
                external_id=f"demo-call-{i}",
                queued_at=start - dt.timedelta(seconds=wait),
                started_at=start,
                ended_at=at,
                wait_seconds=wait,
                occurred_at=start - dt.timedelta(seconds=wait),
                body="\n".join(f"{p['speaker'].title()}: {p['text']}" for p in transcript),
                context={
                    "call": {
                        "caller": f"+3519{rnd.randrange(10**7, 10**8)}",
                        "queue": queue.name,
                        "state": "ended",
                        "wait_seconds": wait,
                        "duration_seconds": minutes * 60,
                    },
                    "transcript": transcript,
                },
            )
            # Pins of a call's comments name its transcript lines ("s1", "s2"…).
            keys = {key: f"s{j}" for j, (_who, key, _t) in enumerate(segs, start=1) if key}
            for key, ans in answers.items():
                if key in keys:
                    ans["_ref"] = keys[key]
        activities.append(activity)
        made.append(Work(activity, agent, kind, answers, at))

    conversations = Conversation.objects.bulk_create(conversations, batch_size=500)
    profiles = {
        p.user_id: p
        for p in AgentProfile.objects.filter(workspace=workspace, user__in=agents.values())
    }
    chat_works = [w for w in made if w.kind == "chat"]
    messages = []
    for (conv_index, lines, start, at), work in zip(lines_of, chat_works, strict=True):
        conv = conversations[conv_index]
        work.activity.conversation = conv
        step = (at - start) / (len(lines) + 1)
        for j, (sender, key, text) in enumerate(lines):
            messages.append(
                (
                    work,
                    key,
                    Message(
                        conversation=conv,
                        sender=sender,
                        author=work.agent if sender == "agent" else None,
                        client_id=f"demo-{j}",
                        body=text,
                    ),
                    start + step * (j + 1),
                )
            )
    Conversation.objects.bulk_update(
        [
            _with(c, agent=profiles[w.agent.pk])
            for c, w in zip(conversations, chat_works, strict=True)
        ],
        ["agent"],
        batch_size=500,
    )
    stored = Message.objects.bulk_create([m for _w, _k, m, _at in messages], batch_size=500)
    for (work, key, _m, at), m in zip(messages, stored, strict=True):
        m.created_at = at
        if key and key in work.answers and "_ref" not in work.answers[key]:
            work.answers[key]["_ref"] = str(m.pk)
    # created_at is stamped on insert: the times the messages were sent are set after.
    Message.objects.bulk_update(stored, ["created_at"], batch_size=500)
    for c, (_i, _lines, start, _at) in zip(conversations, lines_of, strict=True):
        c.created_at = start - dt.timedelta(seconds=c.wait_seconds or 0)
    Conversation.objects.bulk_update(conversations, ["created_at"], batch_size=500)
    stored_activities = Activity.objects.bulk_create(activities, batch_size=500)
    for a in stored_activities:
        a.created_at = a.ended_at
    Activity.objects.bulk_update(stored_activities, ["created_at"], batch_size=500)
    return made


def _with(obj, **fields):
    for k, v in fields.items():
        setattr(obj, k, v)
    return obj


def _criteria_ids(card, spec) -> dict[str, int]:
    """criterion key (of CHAT_CARD / CALL_CARD) -> the id scorecard_create gave it."""
    keys = [c["key"] for s in spec["sections"] for c in s["criteria"]]
    ids = [c["id"] for s in card.current_version.sections for c in s["criteria"]]
    return dict(zip(keys, ids, strict=True))


def _posted(answers: dict[str, dict], ids: dict[str, int]) -> dict[str, dict]:
    """The answers as a client posts them, with a comment on what went wrong."""
    out = {}
    for key, a in answers.items():
        if not a:
            continue  # a bonus left unanswered
        item = {"na": True} if a.get("na") else {"value": a["value"]}
        low = "value" in a and key in COMMENTS and a["value"] in (0, 1, 2) and key != "bonus"
        if key in ("tone",) and a.get("value", 5) > 2:
            low = False
        if key == "listening" and a.get("value", 10) > 4:
            low = False
        if key == "resolution" and a.get("value") != 0:
            low = False
        if key in ("greet", "next_steps", "identity", "disclosure") and a.get("value") == 1:
            low = False
        if low:
            item["comment"] = COMMENTS[key]
            if a.get("_ref"):
                item["message_ref"] = a["_ref"]
        out[str(ids[key])] = item
    return out


def _evaluated_at(rnd, worked_at: dt.datetime) -> dt.datetime:
    """When the evaluator scored it: in office hours (09:00–18:00 UTC), the same day when
    there was time left, else one of the next two days."""
    day = worked_at.replace(hour=0, minute=0, second=0, microsecond=0)
    days = rnd.choice([0, 1, 1, 2])
    if days == 0 and worked_at.hour >= 16:
        days = 1
    first_hour = max(9, worked_at.hour + 1) if days == 0 else 9
    return day + dt.timedelta(
        days=days, hours=rnd.randrange(first_hour, 18), minutes=rnd.randrange(60)
    )


def _backdate_evaluation(evaluation_id: int, at: dt.datetime) -> None:
    Evaluation.objects.filter(pk=evaluation_id).update(created_at=at, updated_at=at)
    EvaluationChange.objects.filter(evaluation_id=evaluation_id).update(at=at)


def seed_quality(*, workspace, org, now: dt.datetime, seed: int = 13) -> None:
    rnd = random.Random(seed)
    if Tab.COACHING not in workspace.enabled_tabs:
        workspace.enabled_tabs = [*workspace.enabled_tabs, Tab.COACHING]
        workspace.save(update_fields=["enabled_tabs"])
    users = {u.username: u for u in User.objects.filter(organization=org)}
    segments = {s.name: s for s in Segment.objects.filter(organization=org)}
    for username, first, last in EXTRA_AGENTS:
        if username not in users:
            users[username] = ws.user_create(
                organization=org,
                username=username,
                password="demo",
                first_name=first,
                last_name=last,
                email=f"{username}@acme.example",
            )
            ws.membership_set(workspace=workspace, user=users[username], kind=UserKind.AGENT)
    agents = {name: users[name] for name in PROFILES}
    for name, agent in agents.items():
        membership = Membership.objects.get(workspace=workspace, user=agent)
        ws.membership_set_segment(
            membership=membership, segment_id=segments[PROFILES[name].store].pk
        )
        AgentProfile.objects.get_or_create(workspace=workspace, user=agent)
    coach = users["coach"]
    # The demo coach coaches Ivan and Sofia by name, and every agent of the three countries.
    for name in ("agent", "agent2"):
        CoachAssignment.objects.create(workspace=workspace, coach=coach, agent=agents[name])
    for country in ("Portugal", "Italy", "Bulgaria"):
        CoachAssignment.objects.create(workspace=workspace, coach=coach, segment=segments[country])

    system = Access.system(workspace)
    chat_card = scorecard_create(access=system, **_definition(CHAT_CARD))
    call_card = scorecard_create(access=system, **_definition(CALL_CARD))
    ids = {"chat": _criteria_ids(chat_card, CHAT_CARD), "call": _criteria_ids(call_card, CALL_CARD)}
    cards = {"chat": chat_card, "call": call_card}

    contacts = list(Contact.objects.filter(organization=org).order_by("pk"))
    # Times are days before today's midnight: the same data whatever the time of day.
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    works = _make_work(rnd, workspace, agents, contacts, today)

    access = {u: get_access(users[u], workspace.slug) for u in ("coach", "manager")}
    portuguese = {n for n, p in PROFILES.items() if p.store.split()[0] in ("Lisbon", "Porto")}
    evaluations = []  # (evaluation, work, evaluated at)
    cutoff = today - dt.timedelta(days=UNEVALUATED_DAYS)
    for work in works:
        if work.at > cutoff and rnd.random() < 0.7:
            continue  # the newest work waits in the review queue
        username = work.agent.username
        # The manager evaluates some of his own stores' work; the coach the rest.
        who = "manager" if username in portuguese and rnd.random() < 0.25 else "coach"
        created = evaluation_create(
            access=access[who],
            scorecard_id=cards[work.kind].pk,
            activity_id=work.activity.pk,
            answers=_posted(work.answers, ids[work.kind]),
        ).evaluation
        at = min(now - dt.timedelta(minutes=30), _evaluated_at(rnd, work.at))
        _backdate_evaluation(created.pk, at)
        evaluations.append((created, work, at))
    _backdate_coaching_cases(workspace, today)
    _seed_edits(access, evaluations, ids)
    seed_appeals(workspace, access, evaluations, ids, agents, today, rnd)
    _seed_calibration(workspace, users, chat_card, works, ids, now)
    seed_sessions(workspace, coach, agents, ids, now)
    seed_plans(workspace)


def _definition(spec: dict) -> dict:
    """A card spec as scorecard_create takes it (our "key"s left out)."""
    return {
        "name": spec["name"],
        "pass_mark": spec["pass_mark"],
        "media_types": spec["media_types"],
        "sections": [
            {
                "title": s["title"],
                "criteria": [{k: v for k, v in c.items() if k != "key"} for c in s["criteria"]],
            }
            for s in spec["sections"]
        ],
    }


def _backdate_coaching_cases(workspace, now) -> None:
    """Coaching cases carry their evaluation's time; those older than three weeks were dealt
    with and closed (with the log entry of it), the rest are in the coach's inbox."""
    rows = list(
        Evaluation.objects.filter(workspace=workspace, coaching_case__isnull=False).values_list(
            "coaching_case_id", "created_at"
        )
    )
    for case_id, at in rows:
        done = at < now - dt.timedelta(days=21)
        was = Case.objects.filter(pk=case_id).values_list("status", flat=True).first()
        touched = at + dt.timedelta(days=4) if done else at
        Case.objects.filter(pk=case_id).update(
            reported_at=at,
            last_activity_at=touched,
            **({"status": Status.CLOSED, "closed_at": touched} if done else {}),
        )
        # What case_create wrote (its log, its first comment) carries the evaluation's time.
        AuditEntry.objects.filter(object_type="case", object_id=case_id).update(created_at=at)
        CaseComment.objects.filter(case_id=case_id).update(created_at=at)
        if done:
            entry = AuditEntry.objects.create(
                workspace=workspace,
                object_type="case",
                object_id=case_id,
                actor=None,
                action="updated",
                field="status",
                old_value=was,
                new_value=Status.CLOSED,
            )
            AuditEntry.objects.filter(pk=entry.pk).update(created_at=touched)


def _seed_edits(access, evaluations, ids) -> None:
    """Two results changed after the fact, with the reason, in the evaluation's log."""
    by_coach = [e for e, w, _at in evaluations if e.evaluator_id == access["coach"].user.pk]
    tone = [e for e in by_coach if e.scorecard.name == "Chat quality"]
    low_tone = next(
        (
            e
            for e in reversed(tone)
            if e.answers.filter(criterion_id=ids["chat"]["tone"], value=2).exists()
        ),
        None,
    )
    if low_tone is not None:
        evaluation_edit(
            access=access["coach"],
            evaluation=low_tone,
            answers={str(ids["chat"]["tone"]): {"value": 3}},
            reason="Listened again with the team lead: the tone was fair given how angry the "
            "customer was.",
        )
    no_steps = next(
        (
            e
            for e in reversed(tone[:-40])
            if e.answers.filter(criterion_id=ids["chat"]["next_steps"], value=1).exists()
        ),
        None,
    )
    if no_steps is not None:
        evaluation_edit(
            access=access["coach"],
            evaluation=no_steps,
            answers={
                str(ids["chat"]["next_steps"]): {
                    "value": 0,
                    "comment": "The next steps were only in a macro the customer never got.",
                }
            },
            reason="The customer wrote back: nobody told them what happens next.",
        )


def seed_appeals(workspace, access, evaluations, ids, agents, now, rnd) -> None:
    """Appeals in every state, by the Portuguese agents on the coach's evaluations, decided
    by the demo manager. Written as rows following the appeal rules (within the workspace's
    appeal days; an accepted item's answer replaced through evaluation_rescore_answers, which
    logs it).

    MERGE: switch to caredesk.quality.appeals (appeal_create / appeal_decide) when their
    signatures fit."""
    manager_access = access["manager"]
    coach_pk = access["coach"].user.pk
    mine = [
        (e, w, at)
        for e, w, at in evaluations
        if e.agent_id in (agents["agent"].pk, agents["tiago.santos"].pk)
        and e.evaluator_id == coach_pk
    ]

    def disputable(e):
        """Criteria answered below their best that the agent can dispute."""
        card = "chat" if e.scorecard.name == "Chat quality" else "call"
        best = {"resolution": 2, "tone": 5, "listening": 10}
        out = []
        for key, cid in ids[card].items():
            a = e.answers.filter(criterion_id=cid).first()
            if a is None or a.na or a.value is None or key == "bonus":
                continue
            if a.value < best.get(key, 1):
                out.append((key, cid, a, best.get(key, 1)))
        # What the agent disputes first: a failed auto-fail criterion, then the most points lost.
        out.sort(
            key=lambda x: (
                x[0] not in ("identity", "disclosure"),
                -x[2].weight * (1 - x[2].fraction),
            )
        )
        return out

    days = workspace.appeal_days
    recent = [x for x in mine if x[2] > now - dt.timedelta(days=days - 2) and disputable(x[0])]
    older = [x for x in mine if x[2] < now - dt.timedelta(days=20)]
    plan = [(AppealStatus.OPEN, x) for x in recent[-2:]]
    two = [x for x in older if len(disputable(x[0])) >= 2]
    partial = rnd.sample(two, min(2, len(two)))
    one = [x for x in older if disputable(x[0]) and x not in partial]
    rest = sorted(rnd.sample(one, min(4, len(one))), key=lambda x: x[2])
    plan += [(AppealStatus.PARTIAL, x) for x in partial]
    plan += list(zip([AppealStatus.ACCEPTED] * 2 + [AppealStatus.REJECTED] * 2, rest, strict=False))
    reasons = {
        "identity": "I did check: the customer confirmed the email in the previous chat the "
        "same morning.",
        "resolution": "The refund was released the same day; billing confirmed it.",
        "tone": "I stayed polite; the short answers were the macros we were told to use.",
        "next_steps": "I told the customer about the confirmation email.",
        "greet": "I greeted the customer by name in the first message.",
        "listening": "The line was bad, I had to interrupt to get the order number.",
        "disclosure": "The IVR plays the recording notice before the call reaches me.",
        "hold": "I did ask before putting them on hold.",
    }
    for status, (evaluation, _work, evaluated_at) in plan:
        items = disputable(evaluation)
        if not items:
            continue
        items = items[:2] if status == AppealStatus.PARTIAL else items[:1]
        if status == AppealStatus.PARTIAL and len(items) < 2:
            status = AppealStatus.ACCEPTED
        created_at = min(now - dt.timedelta(hours=2), evaluated_at + dt.timedelta(days=1))
        appeal = Appeal.objects.create(
            workspace=workspace,
            evaluation=evaluation,
            agent=evaluation.agent,
            reviewer=manager_access.user,
            comment=reasons[items[0][0]],
        )
        accepted_cids = set()
        for j, (key, cid, _a, best) in enumerate(items):
            if status == AppealStatus.ACCEPTED or (status == AppealStatus.PARTIAL and j == 0):
                accepted_cids.add(cid)
            AppealItem.objects.create(
                appeal=appeal,
                criterion_id=cid,
                proposed_value=best,
                comment=reasons[key],
                accepted=None if status == AppealStatus.OPEN else cid in accepted_cids,
            )
        fields = {"created_at": created_at}
        if status != AppealStatus.OPEN:
            decided_at = created_at + dt.timedelta(days=1, hours=3)
            score_before = evaluation.score
            if accepted_cids:
                before = {a.criterion_id: a for a in evaluation.answers.all()}
                changed = {
                    cid: scoring.Given(
                        value=best, comment=before[cid].comment, message_ref=before[cid].message_ref
                    )
                    for key, cid, _a, best in items
                    if cid in accepted_cids
                }
                first_new = EvaluationChange.objects.filter(evaluation=evaluation).count()
                evaluation = evaluation_rescore_answers(
                    access=manager_access,
                    evaluation=evaluation,
                    changed=changed,
                    action="appeal_accepted",
                    reason=_decision(status),
                )
                new = EvaluationChange.objects.filter(evaluation=evaluation).order_by("pk")
                EvaluationChange.objects.filter(pk__in=[c.pk for c in new[first_new:]]).update(
                    at=decided_at
                )
            fields.update(
                status=status,
                decided_by=manager_access.user,
                decision_comment=_decision(status),
                decided_at=decided_at,
                score_before=score_before,
                score_after=evaluation.score,
            )
        Appeal.objects.filter(pk=appeal.pk).update(**fields)


def _decision(status) -> str:
    return {
        AppealStatus.ACCEPTED: "Checked the transcript again: the agent is right.",
        AppealStatus.PARTIAL: "Right on the first point; the second stands as scored.",
        AppealStatus.REJECTED: "The transcript shows the evaluation was correct.",
    }[status]


def _seed_calibration(workspace, users, card, works, ids, now) -> None:
    """One closed calibration: three evaluators scored the same chat of Sofia's blind."""
    chat = next(
        w for w in reversed(works) if w.kind == "chat" and w.agent.username == "agent2"
    ).activity
    session = CalibrationSession.objects.create(
        workspace=workspace,
        title="October calibration: a refund chat",
        activity=chat,
        scorecard=card,
        version=card.current_version,
        started_by=users["manager"],
        status=CalibrationStatus.OPEN,
    )
    evaluators = ["coach", "manager", "lisbon.lead"]
    session.invitees.set([users[u] for u in evaluators])
    c = ids["chat"]
    scored = {
        "coach": {"greet": 1, "tone": 4, "resolution": 2, "next_steps": 1, "identity": 1},
        "manager": {"greet": 1, "tone": 3, "resolution": 1, "next_steps": 1, "identity": 1},
        "lisbon.lead": {"greet": 1, "tone": 4, "resolution": 2, "next_steps": 0, "identity": 1},
    }
    for name in evaluators:
        evaluation_create(
            access=get_access(users[name], workspace.slug),
            scorecard_id=card.pk,
            answers={str(c[k]): {"value": v} for k, v in scored[name].items()},
            calibration=session,
        )
    CalibrationSession.objects.filter(pk=session.pk).update(
        status=CalibrationStatus.CLOSED, closed_at=now - dt.timedelta(days=2)
    )
    Evaluation.objects.filter(calibration=session).update(created_at=now - dt.timedelta(days=3))


def seed_sessions(workspace, coach, agents, ids, now) -> None:
    """Two coaching sessions: Ivan's, done six weeks ago on the identity check and tone (his
    scores rose after it), and Tiago's, scheduled for the day after tomorrow."""
    chat = ids["chat"]
    ivan = agents["agent"]
    done_at = (now - dt.timedelta(days=IVAN_COACHED_DAYS_AGO)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    done = CoachingSession.objects.create(
        workspace=workspace,
        agent=ivan,
        coach=coach,
        segment_path=agent_segment_path(workspace, ivan.pk),
        scheduled_at=done_at,
        notes="Went through three chats where the account was opened before the identity "
        "check, and two where the customer's frustration went unanswered. Ivan will use the "
        "verification macro and the empathy openers.",
        status=SessionStatus.DONE,
        done_at=done_at + dt.timedelta(minutes=45),
        created_by=coach,
    )
    done.criteria.set([chat["identity"], chat["tone"]])
    ActionItem.objects.create(
        session=done,
        text="Use the verification macro before opening any account",
        due_date=(done_at + dt.timedelta(days=7)).date(),
        done=True,
        done_at=done_at + dt.timedelta(days=5),
    )
    ActionItem.objects.create(
        session=done,
        text="Complete the academy module 'Writing with empathy'",
        due_date=(done_at + dt.timedelta(days=14)).date(),
        done=True,
        done_at=done_at + dt.timedelta(days=11),
    )
    tiago = agents["tiago.santos"]
    scheduled = CoachingSession.objects.create(
        workspace=workspace,
        agent=tiago,
        coach=coach,
        segment_path=agent_segment_path(workspace, tiago.pk),
        scheduled_at=(now + dt.timedelta(days=2)).replace(
            hour=14, minute=0, second=0, microsecond=0
        ),
        notes="Identity verification: a third of the chats this month skipped it.",
        created_by=coach,
    )
    scheduled.criteria.set([chat["identity"]])
    ActionItem.objects.create(
        session=scheduled,
        text="Do the data-protection refresher before the session",
        due_date=(now + dt.timedelta(days=2)).date(),
    )
    CoachingSession.objects.filter(pk=done.pk).update(created_at=done_at - dt.timedelta(days=3))


def seed_plans(workspace) -> None:
    """Every agent's coaching plan, built from the evaluations above."""
    plans_build(workspace)


def quality_counts(workspace) -> list[str]:
    """What the database holds for quality and coaching, counted."""
    regular = Evaluation.objects.filter(workspace=workspace, kind=EvaluationKind.REGULAR)
    if not regular.exists():
        return []
    appeals = dict.fromkeys(AppealStatus.values, 0)
    for status in Appeal.objects.filter(workspace=workspace).values_list("status", flat=True):
        appeals[status] += 1
    coaching = Case.objects.filter(workspace=workspace, origin__in=COACHING_ORIGINS)
    sessions = CoachingSession.objects.filter(workspace=workspace)
    return [
        f"  {workspace.name} quality: {regular.count():,} evaluations"
        f" ({regular.filter(passed=False).count():,} failing),"
        f" {coaching.count():,} coaching cases"
        f" ({coaching.exclude(status=Status.CLOSED).count():,} open)",
        f"    appeals: {appeals[AppealStatus.OPEN]} open, {appeals[AppealStatus.ACCEPTED]}"
        f" accepted, {appeals[AppealStatus.PARTIAL]} partly accepted,"
        f" {appeals[AppealStatus.REJECTED]} rejected;"
        f" {CalibrationSession.objects.filter(workspace=workspace).count()} calibration;"
        f" {CoachingPlan.objects.filter(workspace=workspace).count()} coaching plans;"
        f" {sessions.count()} coaching sessions"
        f" ({sessions.filter(status=SessionStatus.SCHEDULED).count()} scheduled)",
    ]
