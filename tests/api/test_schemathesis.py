"""The API against its own OpenAPI document: schemathesis generates requests for every
operation (valid ones and ones the document rules out), as an admin and as an agent, against a
workspace with real objects, and every answer must be no server error and must match what the
document says (status code, content type, response schema; refused input answered 4xx).

Bounded and repeatable: a few examples per operation, derandomized (the same requests on every
run), no deadline, and each operation's test runs in its own rolled-back transaction."""

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from schemathesis.config import SchemathesisConfig

from caredesk.api.v1 import api
from caredesk.customers.services import account_create, contact_create
from caredesk.feedback.services import response_submit, rule_create, survey_create
from caredesk.journey import services as journey
from caredesk.quality.calibration import calibration_start
from caredesk.quality.scorecards import scorecard_create
from caredesk.routing import services as routing
from caredesk.voice.services import call_event_record
from caredesk.workspaces.access import Access, get_access

EXAMPLES = 10


def _config() -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "generation": {
                "mode": "all",
                "max-examples": EXAMPLES,
                "deterministic": True,
                # The caller's token is given to each request; no generated Authorization.
                "with-security-parameters": False,
            },
            "phases": {"coverage": {"enabled": False}},
            "checks": {
                # A request the document allows may still break a documented business rule
                # (400, e.g. "score is required on an NPS survey"); a 422 would mean the
                # document and the API's own validation disagree, so it stays a failure.
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "400", "401", "403", "404", "409"]
                },
            },
        }
    )


schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(path_prefix="/api/v1"), config=_config()
)
schema.app = get_wsgi_application()


class Scene:
    """Ids of real objects, put into the generated paths so requests reach past the 404."""


@pytest.fixture
def in_process():
    """Requests run in the test's own transaction, as with Django's test client: the handler
    must not close the connection at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def scene(world, api_client, in_process):
    s = Scene()
    s.nps = survey_create(workspace=world.support, kind="nps", name="Store visit")
    s.custom = survey_create(
        workspace=world.support,
        kind="custom",
        name="Checkout",
        questions=[{"key": "easy", "kind": "rating", "label": "Easy?", "required": True}],
    )
    s.account = account_create(organization=world.org, name="Acme Corp")
    s.rita = contact_create(
        organization=world.org,
        name="Rita",
        emails=["rita@example.com"],
        phones=["+351912345678"],
        account_id=s.account.pk,
    )
    s.case = world.make_case(
        world.support, customer_email="rita@example.com", segment=world.lisbon, owner=world.manager
    )
    s.response = response_submit(
        survey=s.nps, score=9, comment="Nice", customer_email="rita@example.com"
    )[0]
    s.rule = rule_create(
        workspace=world.support,
        name="Low scores",
        criteria={"scores": [{"kind": "nps", "min": 0, "max": 3}]},
        actions={"create_case": {"priority": "high"}},
    )
    s.note = journey.activity_create(
        workspace=world.support, media_type="note", case=s.case, contact=s.rita, body="Called"
    )
    s.skill = routing.skill_create(workspace=world.support, name="Portuguese")
    s.queue = routing.queue_create(
        workspace=world.support, name="Billing", required_skills=["Portuguese"]
    )
    s.call = call_event_record(
        workspace=world.support, call_id="call-1", event="ringing", caller="+351912345678"
    )
    # The agent carries one chat (so writing in it is allowed) and has an open offer for
    # another one.
    agent = routing.agent_profile_set(
        workspace=world.support, user=world.agent, capacity=2, presence="available"
    )
    s.conversation = routing.conversation_start(workspace=world.support, pre_chat={"name": "Ana"})
    offer = routing.offer_next(s.conversation.pk)
    routing.offer_accept(offer_id=offer.pk, agent=agent)
    waiting = routing.conversation_start(workspace=world.support, pre_chat={"name": "Bea"})
    s.offer = routing.offer_next(waiting.pk)
    # A calibration session on an email the agent answered, started by the admin, who may
    # score it (with the manager).
    card = scorecard_create(
        access=Access.system(world.support),
        name="Any work",
        sections=[{"title": "", "criteria": [{"question": "Polite?", "weight": 1}]}],
    )
    s.calibration = calibration_start(
        access=get_access(world.admin, "support"),
        activity_id=journey.activity_create(
            workspace=world.support,
            media_type="email",
            body="Where is my order?",
            agent=world.agent,
        ).pk,
        scorecard_id=card.pk,
        invitee_ids=[world.admin.pk, world.manager.pk],
    )
    # An evaluation of the agent by the admin, and the agent's open appeal on it.
    s.evaluation, s.appeal = _appeal_scene(world, s.note)
    # The resource center (issue 15, articles): a category and a published article.
    from caredesk.resources import services as resources

    admin_access = get_access(world.admin, "support")
    s.article_category = resources.category_create(access=admin_access, name="Orders")
    s.article = resources.article_create(
        access=admin_access, title="Returns", body="Open **Orders**.", status="published"
    )
    s.tokens = {
        "admin": api_client(world.admin),
        "agent": api_client(world.agent),
    }
    s.world = world
    return s


def _appeal_scene(world, activity):
    from caredesk.quality.appeals import appeal_create
    from caredesk.quality.scorecards import scorecard_create
    from caredesk.quality.services import evaluation_create
    from caredesk.workspaces.access import get_access

    admin = get_access(world.admin, "support")
    card = scorecard_create(
        access=admin,
        name="Notes",
        sections=[{"title": "", "criteria": [{"question": "Clear", "weight": 1, "scale": "1_5"}]}],
        pass_mark=50,
    )
    criterion = card.current_version.sections[0]["criteria"][0]["id"]
    evaluation = evaluation_create(
        access=admin,
        scorecard_id=card.pk,
        activity_id=activity.pk,
        agent_id=world.agent.pk,
        answers={str(criterion): {"value": 4}},
    ).evaluation
    appeal = appeal_create(
        access=get_access(world.agent, "support"),
        evaluation=evaluation,
        comment="It was clear",
        items={str(criterion): {"value": 5}},
    )
    return evaluation, appeal


def _real_ids(s: Scene, who: str) -> dict:
    return {
        "workspace": "support",
        # The admin answers the NPS survey (a score is required), the agent the custom one
        # (no score; a required rating).
        "survey_id": s.nps.pk if who == "admin" else s.custom.pk,
        "contact_id": s.rita.pk,
        "account_id": s.account.pk,
        "number": s.case.number,
        "rule_id": s.rule.pk,
        "activity_id": s.note.pk,
        "queue_id": s.queue.pk,
        "call_id": "call-1",
        "token": s.conversation.public_token,
        "user_id": s.world.agent.pk,
        "offer_id": s.offer.pk,
        "calibration_id": s.calibration.pk,
        "evaluation_id": s.evaluation.pk,
        "appeal_id": s.appeal.pk,
        "article_id": s.article.pk,
        "category_id": s.article_category.pk,
        "language": "en",
    }


def _send(case, s: Scene, who: str, generated: dict):
    # Mostly real objects (the body and query are what is generated); sometimes the
    # generated id, so the 404s are exercised too.
    ids = _real_ids(s, who)
    for name, value in generated.items():
        case.path_parameters[name] = (
            ids[name] if name in ids and not str(value).endswith("7") else value
        )
    token = s.tokens[who].defaults["HTTP_AUTHORIZATION"]
    try:
        case.call_and_validate(headers={"Authorization": token})
    except Exception as exc:
        exc.add_note(f"(sent as the {who})")
        raise


@schema.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
)
def test_api_matches_its_document(case, scene):
    # Each generated request is sent as an admin (every permission) and as an agent (use_care
    # only: many answers are 403/404, which the document must state too).
    generated = dict(case.path_parameters or {})
    for who in ("admin", "agent"):
        _send(case, scene, who, generated)
