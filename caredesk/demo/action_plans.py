"""The demo's action plans (part of `caredesk seed-demo`), each made from what the demo data
really shows, computed here with the Insights' own metrics and the Conversations' selectors:

- the store with the slowest first response (KPI card), in progress;
- the topic with the most negative conversations in the demo manager's Portugal (topic), in
  progress, with the article tasks that wrote the refund procedures;
- the strongest driver of NPS detractors (driver), blocked;
- Ivan's quality score before his coaching session (KPI card), done: its impact is the rise
  that followed;
- the store with the lowest CSAT (KPI card), not started.

Each keeps its metric, its slice (the Insights filters) and the baseline computed over the
eight weeks before it started by caredesk.action_plans.slice.baseline; tasks of the three
kinds in several states, comments, a link and the audit entries its services write, all
moved back to when they happened. Runs after the analysis and the measures exist (the
topics and the first responses come from them); `seed_action_plans` writes only into a
workspace that has no plan yet."""

import datetime as dt

from caredesk.action_plans import services
from caredesk.action_plans.models import (
    ActionPlan,
    PlanComment,
    PlanLink,
    PlanOrigin,
    PlanPriority,
    PlanStatus,
    PlanTask,
    TaskKind,
)
from caredesk.action_plans.selectors import AUDIT_TYPE
from caredesk.action_plans.slice import baseline, plan_filters
from caredesk.audit.models import AuditEntry
from caredesk.coaching.models import CoachingSession, SessionStatus
from caredesk.conversations import selectors as conversations
from caredesk.core import zones
from caredesk.demo.quality import PROFILES
from caredesk.demo.resources import article_of
from caredesk.insights import metrics
from caredesk.workspaces.access import Access, get_access
from caredesk.workspaces.models import Segment, User

# The eight weeks before a plan started are its baseline (a store's tickets and survey
# answers of fewer weeks are too few to compare against).
BASELINE_DAYS = 56
# A store's figure needs this many rows before it can be "the worst".
MIN_ROWS = {"first_response_time": 15, "csat": 6}
# The public article that answers a topic's customers (the driver plan's article task).
TOPIC_ARTICLE = {
    "Double charge": "charged-twice",
    "Billing": "charged-twice",
    "Damaged item": "damaged-item",
    "Late delivery": "late-delivery",
    "Delivery": "late-delivery",
    "Cancellation": "change-cancel-order",
    "Refunds and returns": "refund-timing",
    "Account": "reset-password",
    "Login problems": "cant-log-in",
}


class _Demo:
    def __init__(self, workspace, now):
        self.ws = workspace
        self.now = now
        self.tz = zones.zone(workspace.time_zone)
        self.today = zones.today(self.tz)
        self.access = Access.system(workspace)
        self.users = {
            u.username: u for u in User.objects.filter(organization=workspace.organization)
        }
        self.segments = {
            s.name: s for s in Segment.objects.filter(organization=workspace.organization)
        }
        # What the Insights tab shows by default: the last 90 days.
        self.last90 = plan_filters(
            workspace, {}, date_from=self.today - dt.timedelta(days=89), date_to=self.today
        )

    def day(self, days_ago: int, hour: int = 10) -> dt.datetime:
        d = self.today - dt.timedelta(days=days_ago)
        return min(
            self.now - dt.timedelta(minutes=5),
            dt.datetime.combine(d, dt.time(hour), tzinfo=self.tz),
        )

    def worst_store(self, metric: str, lowest: bool) -> Segment | None:
        slices = [
            s
            for s in metrics.breakdown(self.access, metric, self.last90, "segment")
            if s.key and s.value is not None and s.count >= MIN_ROWS[metric]
        ]
        if not slices:
            return None
        pick = min if lowest else max
        return Segment.objects.get(pk=int(pick(slices, key=lambda s: s.value).key))

    def worst_region_csat(self) -> Segment | None:
        """The region (a country's child) with the lowest CSAT: a store alone has too few
        answers to the follow-up survey."""
        found = []
        for region in Segment.objects.filter(
            organization=self.ws.organization, parent__parent__isnull=True, parent__isnull=False
        ):
            f = self.last90.with_(segment_id=region.pk, segment_path=region.path)
            fig = metrics.figure(self.access, "csat", f)
            if fig.value is not None and fig.count >= MIN_ROWS["csat"]:
                found.append((fig.value, region.name, region))
        return min(found, key=lambda x: x[:2])[2] if found else None

    def managers(self, segment) -> list[User]:
        return list(segment.managers.order_by("username"))

    def as_user(self, user) -> Access:
        return get_access(user, self.ws.slug)

    def stamp(self, plan, when: dt.datetime, write):
        """Run `write` (a service call) and move the log entries it wrote to `when`."""
        mark = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        out = write()
        AuditEntry.objects.filter(pk__gt=mark, object_type=AUDIT_TYPE, object_id=plan.pk).update(
            created_at=when
        )
        return out

    def plan(
        self,
        *,
        title,
        description,
        owner,
        collaborators,
        segment,
        metric,
        params,
        origin,
        status,
        priority,
        started_days_ago,
        due_in,
        target=None,
        closed_days_ago=None,
        tasks=(),
        comments=(),
        links=(),
    ):
        """The plan as its owner made it from the insight (services.plan_create, the slice
        viewed over the weeks before it started), then worked on, every step at its time."""
        started = self.today - dt.timedelta(days=started_days_ago)
        date_from = started - dt.timedelta(days=BASELINE_DAYS)
        date_to = started - dt.timedelta(days=1)
        base = baseline(self.ws, metric, params, date_from=date_from, date_to=date_to)
        created_at = self.day(started_days_ago, 9)
        access = self.as_user(owner)
        mark = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        plan = services.plan_create(
            access=access,
            title=title,
            description=description,
            owner_id=owner.pk,
            collaborator_ids=[u.pk for u in collaborators],
            segment_id=segment.pk if segment else None,
            due_date=(self.today + dt.timedelta(days=due_in)).isoformat(),
            priority=priority,
            target_value=target(base.value) if target and base.value is not None else None,
            origin=origin,
            metric=metric,
            filters={**params, "from": date_from.isoformat(), "to": date_to.isoformat()},
        )
        AuditEntry.objects.filter(pk__gt=mark, object_type=AUDIT_TYPE, object_id=plan.pk).update(
            created_at=created_at
        )
        ActionPlan.objects.filter(pk=plan.pk).update(started_on=started, created_at=created_at)
        plan.refresh_from_db()
        if status != PlanStatus.NOT_STARTED:
            when = self.day(max(started_days_ago - 1, 0), 11)
            self.stamp(
                plan,
                when,
                lambda: services.plan_update(
                    access=access, plan=plan, status=PlanStatus.IN_PROGRESS
                ),
            )
        for task in tasks:
            self.task(plan, access, created_at, **task)
        for who, days_ago, body in comments:
            when = self.day(days_ago, 14)
            c = self.stamp(
                plan,
                when,
                lambda who=who, body=body: services.comment_add(
                    access=self.as_user(who), plan=plan, body=body
                ),
            )
            PlanComment.objects.filter(pk=c.pk).update(created_at=when)
        for who, days_ago, name, url in links:
            when = self.day(days_ago, 12)
            link = self.stamp(
                plan,
                when,
                lambda who=who, name=name, url=url: services.link_add(
                    access=self.as_user(who), plan=plan, url=url, title=name
                ),
            )
            PlanLink.objects.filter(pk=link.pk).update(created_at=when)
        closed_at = self.day(closed_days_ago, 17) if closed_days_ago is not None else None
        if status not in (PlanStatus.NOT_STARTED, PlanStatus.IN_PROGRESS):
            when = closed_at or self.day(max(started_days_ago // 3, 1), 15)
            self.stamp(
                plan, when, lambda: services.plan_update(access=access, plan=plan, status=status)
            )
        ActionPlan.objects.filter(pk=plan.pk).update(
            updated_at=closed_at or self.day(min(started_days_ago, 2), 16), closed_at=closed_at
        )
        return plan

    def task(
        self,
        plan,
        access,
        created_at,
        *,
        title,
        owner,
        due_in,
        done_days_ago=None,
        kind=TaskKind.FREE,
        agent=None,
        session=None,
        article=None,
    ):
        task = self.stamp(
            plan,
            created_at,
            lambda: services.task_add(
                access=access,
                plan=plan,
                title=title,
                kind=kind,
                owner_id=owner.pk,
                due_date=(self.today + dt.timedelta(days=due_in)).isoformat(),
                agent_id=agent.pk if agent else None,
                coaching_session_id=session.pk if session else None,
                article_id=article.pk if article else None,
            ),
        )
        PlanTask.objects.filter(pk=task.pk).update(created_at=created_at)
        if done_days_ago is not None:
            done_at = self.day(done_days_ago, 15)
            self.stamp(
                plan,
                done_at,
                lambda: services.task_set_done(access=self.as_user(owner), task=task, done=True),
            )
            PlanTask.objects.filter(pk=task.pk).update(done_at=done_at)

    def agent_of(self, segment) -> User | None:
        """The demo agent of the segment (or of a store under it) who needs it most."""
        found = [
            (profile.skill, username)
            for username, profile in PROFILES.items()
            if (profile.store == segment.name or profile.store.startswith(segment.name + " "))
            and username in self.users
        ]
        return self.users[min(found)[1]] if found else None


def seed_action_plans(workspace, now: dt.datetime) -> int:
    """The demo plans, where the workspace has none; how many it made."""
    if ActionPlan.objects.filter(workspace=workspace).exists():
        return 0
    d = _Demo(workspace, now)
    made = 0
    for make in (_slow_store, _negative_topic, _driver, _ivan, _low_csat):
        made += make(d) is not None
    return made


def _slow_store(d: _Demo):
    store = d.worst_store("first_response_time", lowest=False)
    if store is None:
        return None
    lead = (d.managers(store.parent) if store.parent else [None])[0] or d.users["manager"]
    local = d.managers(store)
    store_mgr = local[0] if local else lead
    return d.plan(
        title=f"Faster first responses in {store.name}",
        description=(
            f"{store.name} has the slowest first response of all stores over the last 90 "
            "days: customers wait far longer for a first answer than in the other stores, most "
            "of all on tickets opened in the morning.\n\n"
            "**Goal**: halve the first response time by the end of next month.\n\n"
            "- a second person on the morning shift\n"
            "- an honest expected wait in the greeting\n"
            "- fewer tickets about delivery times (public article)"
        ),
        owner=lead,
        collaborators=local,
        segment=store,
        metric="first_response_time",
        params={"segment": str(store.pk)},
        origin=PlanOrigin.KPI,
        status=PlanStatus.IN_PROGRESS,
        priority=PlanPriority.HIGH,
        started_days_ago=24,
        due_in=20,
        target=lambda v: round(v * 0.5),
        tasks=[
            dict(
                title="Put a second person on the morning shift (9:00–12:00)",
                owner=store_mgr,
                due_in=-17,
                done_days_ago=18,
            ),
            dict(
                title="Announce the expected wait in the chat greeting",
                owner=lead,
                due_in=-14,
                done_days_ago=15,
            ),
            dict(
                kind=TaskKind.ARTICLE,
                title="Link 'Delivery times and costs' from the order confirmation email",
                owner=lead,
                due_in=-6,
                done_days_ago=8,
                article=article_of(d.ws, "delivery-times"),
            ),
            dict(
                title="Review how the store's tickets are routed to the queues",
                owner=lead,
                due_in=-3,
            ),
            dict(
                title="Check the first response time again with the team",
                owner=store_mgr,
                due_in=10,
            ),
        ],
        comments=[
            (
                lead,
                23,
                "Most of the waiting is between 9:00 and 11:00, when the store opens and "
                "only one person answers tickets.",
            ),
            (store_mgr, 17, "Second person on mornings from Monday; the rota is in the link."),
            (
                lead,
                4,
                "First responses look better since the rota changed; routing review "
                "slipped to next week.",
            ),
        ],
        links=[(store_mgr, 17, "Morning rota", "https://docs.example.com/acme/rota-mornings")],
    )


def _negative_topic(d: _Demo):
    portugal = d.segments.get("Portugal")
    area = (
        d.last90.with_(segment_id=portugal.pk, segment_path=portugal.path) if portugal else d.last90
    )
    rows = conversations.overview(d.access, area).negative_topics
    if not rows:
        return None
    topic = rows[0].topic
    manager, coach, admin = d.users["manager"], d.users["coach"], d.users["admin"]
    tiago = d.users.get("tiago.santos")
    session = (
        CoachingSession.objects.filter(
            workspace=d.ws, agent=tiago, status=SessionStatus.SCHEDULED
        ).first()
        if tiago
        else None
    )
    params = {"topic": str(topic.pk)}
    if portugal:
        params["segment"] = str(portugal.pk)
    return d.plan(
        title=f"Fewer negative conversations about {topic.name.lower()} in Portugal",
        description=(
            f"*{topic.name}* is the topic with the most negative conversations in the "
            "Portuguese stores. Agents improvise the refund steps and customers are told "
            "different times.\n\n"
            "1. One written back-office procedure for partial refunds.\n"
            "2. The public refund article with the real times.\n"
            "3. Coaching where the refund chats go wrong."
        ),
        owner=manager,
        collaborators=[coach, admin],
        segment=portugal,
        metric="sentiment",
        params=params,
        origin=PlanOrigin.TOPIC,
        status=PlanStatus.IN_PROGRESS,
        priority=PlanPriority.HIGH,
        started_days_ago=35,
        due_in=25,
        target=lambda v: round(v + 0.3, 2),
        tasks=[
            dict(
                kind=TaskKind.ARTICLE,
                title="Write the back-office procedure for partial refunds",
                owner=coach,
                due_in=-24,
                done_days_ago=26,
                article=article_of(d.ws, "partial-refund"),
            ),
            dict(
                kind=TaskKind.ARTICLE,
                title="Update 'When will I get my refund?' with the 3–5 working days",
                owner=admin,
                due_in=-20,
                done_days_ago=21,
                article=article_of(d.ws, "refund-timing"),
            ),
            dict(
                kind=TaskKind.COACHING,
                title="Coaching session: refunds and the identity check",
                owner=coach,
                due_in=2,
                agent=tiago,
                session=session,
            ),
            dict(title="Add a /refund macro with the times to the chat", owner=manager, due_in=-5),
            dict(
                title="Ask Finance for the refunds stuck over 5 days each Monday",
                owner=admin,
                due_in=12,
            ),
        ],
        comments=[
            (
                manager,
                34,
                "Read twenty of the negative refund chats: in most of them the "
                "agent did not know the partial refund steps.",
            ),
            (
                coach,
                26,
                "Procedure published in the resource center; it now comes up as a "
                "suggestion in refund chats.",
            ),
            (admin, 6, "The macro is waiting for the desk's new macro editor."),
        ],
        links=[
            (
                coach,
                26,
                "Refund chats reviewed (spreadsheet)",
                "https://docs.example.com/acme/refund-chat-review",
            )
        ],
    )


def _driver(d: _Demo):
    drivers = conversations.overview(d.access, d.last90).drivers
    if not drivers:
        return None
    # The strong drivers (lift ≥ 1.4), the one most detractors mention.
    strong = [x for x in drivers if x.lift >= 1.4] or drivers[:1]
    driver = max(strong, key=lambda x: (x.detractors, x.lift))
    topic = driver.topic
    admin, manager = d.users["admin"], d.users["manager"]
    leads = [d.users[u] for u in ("lisbon.lead", "milan.lead") if u in d.users]
    key = TOPIC_ARTICLE.get(topic.name, "return-item")
    return d.plan(
        title=f"Detractors mention {topic.name.lower()}: remove the cause",
        description=(
            f"Among NPS detractors, *{topic.name}* comes up {driver.lift:.1f}× as often "
            "as among all respondents: the strongest driver of detractors this quarter.\n\n"
            "We need the carrier's and the warehouse's figures before deciding what to change."
        ),
        owner=admin,
        collaborators=[manager, *leads],
        segment=None,
        metric="nps",
        params={"topic": str(topic.pk)},
        origin=PlanOrigin.DRIVER,
        status=PlanStatus.BLOCKED,
        priority=PlanPriority.CRITICAL,
        started_days_ago=16,
        due_in=30,
        target=lambda v: round(v + 20),
        tasks=[
            dict(
                title=f"Get the last quarter's {topic.name.lower()} figures from the carrier and "
                "the warehouse",
                owner=admin,
                due_in=-6,
            ),
            dict(
                kind=TaskKind.ARTICLE,
                title="Check the public article answers these customers in the four languages",
                owner=manager,
                due_in=-9,
                done_days_ago=11,
                article=article_of(d.ws, key),
            ),
            dict(
                title="Call back ten detractors and note what would have changed their mind",
                owner=leads[0] if leads else manager,
                due_in=-2,
                done_days_ago=3,
            ),
            dict(title="Agree the change with the warehouse", owner=admin, due_in=14),
        ],
        comments=[
            (admin, 15, "Asked the carrier for their report; they promised it within a week."),
            (
                leads[0] if leads else manager,
                3,
                "Called ten detractors: eight would have stayed with a faster answer on day one.",
            ),
            (
                admin,
                2,
                "Blocked: still no report from the carrier. Escalated to their account manager.",
            ),
        ],
    )


def _ivan(d: _Demo):
    ivan = d.users.get("agent")
    session = (
        CoachingSession.objects.filter(workspace=d.ws, agent=ivan, status=SessionStatus.DONE)
        .order_by("done_at")
        .first()
    )
    if ivan is None or session is None:
        return None
    store = d.segments.get(PROFILES["agent"].store)
    manager, coach = d.users["manager"], d.users["coach"]
    done_days = (d.today - session.done_at.date()).days
    return d.plan(
        title=f"Raise {ivan.get_full_name()}'s chat quality",
        description=(
            "Ivan's evaluations fail mostly on the identity check (an auto-fail criterion) and "
            "on tone. A coaching session, the verification procedure and a follow-up review."
        ),
        owner=manager,
        collaborators=[coach],
        segment=store,
        metric="quality_score",
        params={"agent": str(ivan.pk)},
        origin=PlanOrigin.KPI,
        status=PlanStatus.DONE,
        priority=PlanPriority.MEDIUM,
        started_days_ago=done_days + 4,
        due_in=-12,
        closed_days_ago=12,
        target=lambda v: 80.0,
        tasks=[
            dict(
                kind=TaskKind.COACHING,
                title="Coaching session: identity check and tone",
                owner=coach,
                due_in=-done_days,
                done_days_ago=done_days,
                agent=ivan,
                session=session,
            ),
            dict(
                kind=TaskKind.ARTICLE,
                title="Publish 'Verify the customer's identity' with the /verify macro",
                owner=coach,
                due_in=-done_days + 5,
                done_days_ago=done_days - 4,
                article=article_of(d.ws, "verify-identity"),
            ),
            dict(
                title="Review ten of Ivan's chats after the session",
                owner=manager,
                due_in=-16,
                done_days_ago=14,
            ),
        ],
        comments=[
            (
                coach,
                done_days,
                "Session done: Ivan will use the verification macro and the empathy openers.",
            ),
            (
                manager,
                12,
                "Ten chats reviewed: identity checked in all of them. Closing the "
                "plan: the scores since the session are on the impact chart.",
            ),
        ],
        links=[
            (
                coach,
                done_days,
                "Session notes and the chats reviewed",
                "https://docs.example.com/acme/coaching/ivan-petrov",
            )
        ],
    )


def _low_csat(d: _Demo):
    store = d.worst_region_csat()
    if store is None:
        return None
    local = d.managers(store)
    owner = local[0] if local else d.users["manager"]
    agent = d.agent_of(store)
    # A free task: a coaching task needs a session, and the coach has not booked one yet.
    who = agent.get_full_name() if agent else "the team"
    coaching = dict(
        title=f"Book a coaching session with {who} on the low-rated tickets",
        owner=d.users["coach"],
        due_in=9,
    )
    return d.plan(
        title=f"Lift CSAT in {store.name}",
        description=(
            f"{store.name} has the lowest CSAT of the follow-up survey of all regions over "
            "the last 90 days. Start by reading every 1–2 answer and calling the customers back."
        ),
        owner=owner,
        collaborators=[d.users["coach"]],
        segment=store,
        metric="csat",
        params={"segment": str(store.pk)},
        origin=PlanOrigin.KPI,
        status=PlanStatus.NOT_STARTED,
        priority=PlanPriority.MEDIUM,
        started_days_ago=2,
        due_in=45,
        target=lambda v: 70.0,
        tasks=[
            dict(
                title="Read every CSAT answer of 1 or 2 and group the reasons",
                owner=owner,
                due_in=5,
            ),
            dict(title="Call back the customers who gave 1 or 2", owner=owner, due_in=12),
            coaching,
        ],
    )
