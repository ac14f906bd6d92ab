"""A scene with one object of each kind inside and outside the demo manager's area, built
through the services as the app would. Everything only an admin may see carries MARK, so a
test can assert that no answer to anyone else contains it."""

import pytest
from django.utils import timezone

from caredesk.care import services as care
from caredesk.coaching.models import ActionItem, CoachingSession
from caredesk.customers import services as customers
from caredesk.feedback import services as feedback
from caredesk.feedback.models import AlertRuleCase
from caredesk.journey import services as journey
from caredesk.journey.models import Activity
from caredesk.quality.calibration import calibration_start
from caredesk.quality.models import CoachAssignment, RescoreJob, RescoreStatus
from caredesk.quality.scorecards import scorecard_create
from caredesk.quality.services import evaluation_create
from caredesk.routing import services as routing
from caredesk.voice import services as voice
from caredesk.workspaces.access import Access, get_access
from caredesk.workspaces.models import UserType

from ..journey.conftest import start_chat

MARK = "SECRET-7c1e"


class Scene:
    pass


@pytest.fixture
def scene(world):
    s = Scene()
    admin = get_access(world.admin, "support")
    org = world.org
    s.account = customers.account_create(organization=org, name="Buyer Co")
    s.ana = customers.contact_create(
        organization=org, name="Ana Lima", emails=["ana@example.com"], phones=[]
    )
    s.case_in = care.case_create(
        access=admin,
        customer_email="ana@example.com",
        comment="Opened in Lisbon",
        segment_id=world.store1.pk,
        title="Lisbon ticket",
    )
    # Italy has one manager (italymgr), who becomes its owner: not any walked user.
    s.case_out = care.case_create(
        access=admin,
        customer_email="ana@example.com",
        comment=f"{MARK} why",
        segment_id=world.italy.pk,
        title=f"{MARK} Italy ticket",
        customer_comment=MARK,
        tags=[MARK],
    )
    s.todo_out = care.case_todo_add(access=admin, case=s.case_out, text=MARK)
    s.note_in = journey.note_add(access=admin, body="Lisbon note", case=s.case_in)
    s.note_out = journey.note_add(access=admin, body=f"{MARK} note", case=s.case_out)
    s.note_free = journey.note_add(access=admin, body="A note on Ana", contact=s.ana)
    journey.activity_comment_add(access=admin, activity=s.note_out, body=f"{MARK} remark")
    s.survey = feedback.survey_create(workspace=world.support, kind="nps", name="Visit")
    s.response_in, _ = feedback.response_submit(
        survey=s.survey, score=9, comment="Fine", segment_id=world.store1.pk
    )
    s.response_out, _ = feedback.response_submit(
        survey=s.survey, score=9, comment=MARK, segment_id=world.italy.pk
    )
    s.rule = feedback.rule_create(
        workspace=world.support,
        name="Refunds",
        criteria={"keywords": ["refund"]},
        actions={"create_case": {}},
    )
    # The rule filed Lisbon's response as a ticket in Italy: the response's page must not
    # show that ticket to Lisbon's manager.
    AlertRuleCase.objects.create(rule=s.rule, response=s.response_in, case=s.case_out)
    s.queue = routing.queue_create(workspace=world.support, name="Returns")
    s.skill = routing.skill_create(workspace=world.support, name="returns")
    # A chat the demo agent accepted: the agent and admins see it, nobody else.
    s.chat = start_chat(world, pre_chat={"name": "Rui"}, visitor={})
    # A call the demo agent answered: the same audience as the chat.
    s.call = voice.call_event_record(
        workspace=world.support,
        call_id="call-1",
        event="answered",
        caller="+351 210 000 000",
        queue="Returns",
        agent="agent",
    ).activity
    s.user_type = UserType.objects.filter(organization=org).order_by("pk").first()
    # A calibration session on the call, started by the admin with Italy's manager: nobody
    # else of the walk is invited, so only the admin sees it.
    card = scorecard_create(
        access=Access.system(world.support),
        name="Card C1",
        sections=[{"title": "", "criteria": [{"question": "Polite?", "weight": 1}]}],
    )
    s.calibration = calibration_start(
        access=admin,
        activity_id=s.call.pk,
        scorecard_id=card.pk,
        invitee_ids=[world.admin.pk, world.italy_manager.pk],
        title=f"{MARK} calibration",
    )
    appeal_scene(s, world, admin)
    # A coaching session with the demo agent (who has no segment): the agent and admins see
    # it, as the chat; a coach assignment (Settings → Coaches, manage_care).
    s.session = CoachingSession.objects.create(
        workspace=world.support,
        agent=world.agent,
        coach=world.admin,
        scheduled_at=timezone.now(),
        notes="Session notes",
    )
    s.item = ActionItem.objects.create(session=s.session, text="Read the guide")
    s.assignment = CoachAssignment.objects.create(
        workspace=world.support, coach=world.coach, agent=world.manager
    )
    # The review queue: a rule (shared by the workspace's rule managers) and an item about
    # the agent, who has no segment: only the admin sees it.
    from caredesk.quality.models import ReviewItem
    from caredesk.quality.sampling import rule_create

    s.review_card = scorecard_create(
        access=admin,
        name="Chat quality",
        sections=[{"title": "All", "criteria": [{"question": "Greeted", "scale": "yes_no"}]}],
    )
    s.sampling_rule = rule_create(
        access=admin, name="Long", scorecard=s.review_card.pk, kind="longer_than"
    )
    s.review_out = ReviewItem.objects.create(
        workspace=world.support,
        scorecard=s.review_card,
        activity=s.note_out,
        agent=world.agent,
        reason=f"{MARK} picked",
    )
    # The demo agent's chat, evaluated by the coach: seen by the agent, the coach (its
    # evaluator) and admins; the agent has no default segment, so no manager's area holds it.
    s.eval_card = scorecard_create(
        access=Access.system(world.support),
        name="Chat quality",
        sections=[
            {"title": "", "criteria": [{"question": "Polite", "weight": 1, "scale": "yes_no"}]}
        ],
        pass_mark=80,
        media_types=["chat"],
    )
    s.chat_activity = Activity.objects.get(conversation=s.chat)
    criterion = s.eval_card.current_version.sections[0]["criteria"][0]["id"]
    s.eval_criterion = criterion
    s.eval_chat = evaluation_create(
        access=get_access(world.coach, "support"),
        scorecard_id=s.eval_card.pk,
        activity_id=s.chat_activity.pk,
        answers={str(criterion): {"value": 1}},
    ).evaluation
    # A scorecard (read by every member, managed with manage_scorecards) and a finished
    # rescore job of it.
    s.sc_card = scorecard_create(
        access=admin,
        name="Chat review",
        media_types=["chat"],
        sections=[
            {
                "title": "Opening lines",
                "criteria": [
                    {
                        "question": "Greeted the customer by name",
                        "weight": 1,
                        "scale": "yes_no",
                        "recommendation": "Use the name from the pre-chat form.",
                    },
                    {
                        "question": "Solved the customer's problem",
                        "weight": 2,
                        "scale": "custom",
                        "na_allowed": True,
                        "points": [
                            {"value": 0, "label": "Unsolved", "score": 0},
                            {"value": 1, "label": "Solved fully", "score": 100},
                        ],
                    },
                ],
            }
        ],
    )
    s.rescore_job = RescoreJob.objects.create(
        workspace=world.support,
        scorecard=s.sc_card,
        to_version=s.sc_card.current_version,
        status=RescoreStatus.DONE,
    )
    conversations_scene(s, world)
    plans_scene(s, world, admin)
    impact_scene(s, world)
    return s


def plans_scene(s, world, admin):
    """Action plans (issue 15): one in Lisbon's store (the manager's area, as case_in) and one
    in Italy marked (only the admin, as case_out), each with a task, a comment and a link."""
    from caredesk.action_plans import services as plans

    s.plan_in = plans.plan_create(access=admin, title="Lisbon plan", segment_id=world.store1.pk)
    s.plan_out = plans.plan_create(
        access=admin, title=f"{MARK} Italy plan", segment_id=world.italy.pk
    )
    for plan in (s.plan_in, s.plan_out):
        marked = MARK if plan is s.plan_out else "Lisbon"
        task = plans.task_add(access=admin, plan=plan, title=f"{marked} task")
        plans.comment_add(access=admin, plan=plan, body=f"{marked} comment")
        link = plans.link_add(access=admin, plan=plan, url="https://docs.example.com/x")
        plan.probe_task, plan.probe_link = task, link


def impact_scene(s, world):
    """Action plans on a metric (issue 15, impact): one of Lisbon (the manager's area), one of
    Italy whose task carries MARK (the impact's markers name done tasks)."""
    import datetime as dt

    from caredesk.action_plans.models import ActionPlan, PlanTask

    today = timezone.localdate()

    def plan(title, segment):
        return ActionPlan.objects.create(
            workspace=world.support,
            title=title,
            segment=segment,
            segment_path=segment.path,
            metric="tickets",
            filters={"segment": str(segment.pk)},
            started_on=today - dt.timedelta(days=3),
        )

    s.impact_plan_in = plan("Lisbon plan", world.lisbon)
    s.impact_plan_out = plan(f"{MARK} Italy plan", world.italy)
    PlanTask.objects.create(
        plan=s.impact_plan_out, title=f"{MARK} task", done=True, done_at=timezone.now()
    )


def appeal_scene(s, world, admin):
    """An evaluation of the demo agent by the admin (passing: no coaching case), and the
    agent's open appeal on it: the agent and admins see both, nobody else."""
    from caredesk.quality.appeals import appeal_create
    from caredesk.quality.scorecards import scorecard_create
    from caredesk.quality.services import evaluation_create

    s.scorecard = scorecard_create(
        access=admin,
        name="Card N1",
        sections=[{"title": "", "criteria": [{"question": "Clear", "weight": 1, "scale": "1_5"}]}],
        pass_mark=50,
    )
    s.criterion = s.scorecard.current_version.sections[0]["criteria"][0]["id"]
    s.evaluation = evaluation_create(
        access=admin,
        scorecard_id=s.scorecard.pk,
        activity_id=s.note_free.pk,
        agent_id=world.agent.pk,
        answers={str(s.criterion): {"value": 4}},
    ).evaluation
    s.appeal = appeal_create(
        access=get_access(world.agent, "support"),
        evaluation=s.evaluation,
        comment="It was clear",
        items={str(s.criterion): {"value": 5}},
    )


def conversations_scene(s, world):
    """The scene, analysed (conversations, issue 14): an email on the Italian ticket, the
    agent's call with a transcript, both survey verbatims; a topic of the workspace. The
    scene's after-commit work never runs here, so the analysis is made directly."""
    from caredesk.analysis.models import Topic
    from caredesk.conversations import pipeline
    from caredesk.journey.models import MediaType

    s.topic = Topic.objects.create(
        workspace=world.support, name="Billing", phrases={"en": ["invoice", "fine"]}
    )
    s.email_out = journey.activity_create(
        workspace=world.support,
        media_type=MediaType.EMAIL,
        case=s.case_out,
        body=f"{MARK} my invoice is wrong",
        actor=None,
    )
    voice.call_transcript_set(
        workspace=world.support,
        call_id="call-1",
        segments=[{"speaker": "customer", "text": "The invoice is fine, thanks"}],
    )
    pipeline.analyse_activities([s.email_out.pk, s.call.pk])
    pipeline.analyse_responses([s.response_in.pk, s.response_out.pk])
