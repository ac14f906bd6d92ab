"""Object-level permissions, walked over every page, every API operation of the OpenAPI
document and the workspace events socket, as each demo user type and as a user of another
organization, against objects inside and outside their area (issue 10).

For every probe:
- the admin (view_all_cases) gets an answer (< 400) from every read, so no probe is vacuous;
- a user who may not see the probe's object is refused (403/404), by reads and by writes,
  and a refused write changes nothing;
- no answer to anyone but the admin contains MARK, the text of every object only an admin may
  see (so lists, searches, timelines and counters cannot leak it either).

A page or an operation that is not in PAGES / the API table fails the coverage tests: a new
endpoint must be added here."""

import json
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from caredesk.action_plans.models import ActionPlan, PlanComment, PlanLink, PlanTask
from caredesk.audit.models import AuditEntry
from caredesk.care.models import Case, CaseComment, CaseShare, CaseTodo
from caredesk.coaching.models import ActionItem, CoachingSession
from caredesk.feedback.models import AlertRule, Response, Survey
from caredesk.insights.digest import opt_out_token
from caredesk.journey.models import Activity, ActivityComment
from caredesk.quality.models import (
    Appeal,
    AppealItem,
    CalibrationSession,
    CoachAssignment,
    Evaluation,
    EvaluationChange,
    RescoreJob,
    ReviewItem,
    SamplingRule,
    Scorecard,
    ScorecardVersion,
)
from caredesk.routing.models import AgentProfile, Conversation, Message, Queue, Skill
from caredesk.webchat.models import WidgetSettings
from caredesk.workspaces.models import Membership, PermissionGrant, Segment, UserType, Workspace

from .conftest import MARK

USERS = ("admin", "manager", "coach", "agent", "outsider")
EVERYONE = frozenset(USERS[:4])  # the members of Acme's support workspace

# Who may see each object of the scene (the rule: workspaces/access.py and the models'
# visible_to). Objects shared by the workspace or the organization are seen by every member;
# the outsider, whose own workspace is also called "support", sees none of Acme's.
SEES = {
    None: frozenset(USERS),  # no object: the user's own workspace
    "case_in": frozenset({"admin", "manager"}),
    "case_out": frozenset({"admin"}),
    "note_in": frozenset({"admin", "manager"}),
    "note_out": frozenset({"admin"}),
    "note_free": EVERYONE,
    "response_in": frozenset({"admin", "manager"}),
    "response_out": frozenset({"admin"}),
    "chat": frozenset({"admin", "agent"}),
    "call": frozenset({"admin", "agent"}),
    "todo_out": frozenset({"admin"}),
    "calibration_out": frozenset({"admin"}),  # started by the admin, Italy's manager invited
    "appeal": frozenset({"admin", "agent"}),  # an evaluation of the agent and their appeal
    # The coach's evaluation of the agent's chat (quality): its agent, evaluator and admins.
    "evaluation": frozenset({"admin", "agent", "coach"}),
    # Evaluating needs `evaluate` (admins, managers, coaches); the chat is on no ticket.
    "evaluable": frozenset({"admin", "manager", "coach"}),
    "shared": EVERYONE,  # customers, surveys, rules, queues, segments, members, user types
}

# URL names reached without a workspace login or outside the workspace, and why they are not
# walked here.
PUBLIC = {
    "login": "the login page",
    "logout": "logging out",
    "survey_page": "the customer's survey page, by its secret token (tests/feedback)",
    "chat_page": "the chat widget's page, by the widget key (tests/widget)",
    "chat_widget_config": "the chat widget's public settings (tests/widget)",
    "chat_widget_demo": "a sample site with the chat widget, by the widget key (tests/widget)",
    "javascript_catalog_json": "the scripts' translations as JSON, for the widget (tests/widget)",
    "javascript_catalog": "the scripts' translations, per language (tests/test_i18n_pages.py)",
    "help_center": "the public help center of a workspace, published public articles only "
    "(tests/helpcenter)",
    "help_article": "a published public article on the help center (tests/helpcenter)",
    "help_search_json": "the chat widget's search of the public articles (tests/helpcenter)",
    "help_article_json": "the chat widget's view of a public article (tests/helpcenter)",
}


@dataclass
class Probe:
    name: str  # URL name, or "METHOD /path/template" for the API
    url: str
    obj: str | None = None  # key of SEES
    method: str = "get"
    data: dict = field(default_factory=dict)
    htmx: bool = False

    @property
    def write(self) -> bool:
        return self.method != "get"


def page_probes(s, w) -> list[Probe]:
    n_in, n_out = s.case_in.number, s.case_out.number
    tok = s.chat.public_token
    W = "/w/support"
    P = Probe
    probes = [
        P("home", "/"),
        P("workspace_home", f"{W}/"),
        P("ticket_list", f"{W}/tickets/"),
        P("ticket_list", f"{W}/tickets/?q=SECRET"),
        P("ticket_inbox", f"{W}/tickets/inbox/"),
        P("ticket_inbox", f"{W}/tickets/inbox/?view=all"),
        P("ticket_list", f"{W}/tickets/?coaching=1"),
        P("ticket_inbox", f"{W}/tickets/inbox/?view=all&origins=coaching"),
        # Opening a coaching case by hand (needs evaluate); from a ticket outside the area,
        # nothing of it shows.
        P("coaching_case_new", f"{W}/coaching/cases/new/"),
        P("coaching_case_new", f"{W}/coaching/cases/new/?ticket={n_out}&activity={s.note_out.pk}"),
        P("ticket_export", f"{W}/tickets/export.xlsx"),
        P("ticket_new", f"{W}/tickets/new/"),
        P("ticket_owner_options", f"{W}/tickets/owners/?segment={w.italy.pk}"),
        P("desk", f"{W}/desk/"),
        P("desk_cases", f"{W}/desk/cases/"),
        P("desk_supervisor", f"{W}/desk/supervisor/"),
        P("desk_supervisor_board", f"{W}/desk/supervisor/board/"),
        P("feedback_responses", f"{W}/feedback/responses/"),
        P("feedback_surveys", f"{W}/feedback/surveys/"),
        P("feedback_rules", f"{W}/feedback/rules/"),
        P("feedback_rule_new", f"{W}/feedback/rules/new/"),
        P("desk_settings", f"{W}/settings/queues/"),
        P("settings_general", f"{W}/settings/"),
        P("settings_members", f"{W}/settings/members/"),
        P("settings_permissions", f"{W}/settings/permissions/"),
        P("settings_user_types", f"{W}/settings/user-types/"),
        P("settings_segments", f"{W}/settings/segments/"),
        P("journey_customers", f"{W}/journey/customers/?q=SECRET"),
        P("journey_customers", f"{W}/journey/customers/?show=accounts"),
        P("profile", "/profile/"),
        P("workspace_profile", f"{W}/profile/"),
        P("settings_chat_widget", f"{W}/settings/chat-widget/"),
        P("settings_surveys", f"{W}/settings/surveys/"),
        P("settings_survey_new", f"{W}/settings/surveys/new/"),
        P("settings_survey_edit", f"{W}/settings/surveys/{s.survey.pk}/", "shared"),
        P("journey_contact", f"{W}/journey/contacts/{s.ana.pk}/", "shared"),
        P("journey_account", f"{W}/journey/accounts/{s.account.pk}/", "shared"),
        P("journey_timeline", f"{W}/journey/timeline/?record=contact:{s.ana.pk}", "shared"),
        P("feedback_survey", f"{W}/feedback/surveys/{s.survey.pk}/", "shared"),
        P("feedback_rule", f"{W}/feedback/rules/{s.rule.pk}/", "shared"),
        P("feedback_rule_edit", f"{W}/feedback/rules/{s.rule.pk}/edit/", "shared"),
        # Writes that need no object: refused without the permission (tests/settings_pages).
        P("settings_member_add", f"{W}/settings/members/add/", method="post"),
        P("settings_member_create_user", f"{W}/settings/members/create-user/", method="post"),
        P("settings_segment_add", f"{W}/settings/segments/add/", method="post"),
        # Brand admins only (the demo admin is a CX admin, refused: tests/shell).
        P(
            "settings_workspaces",
            f"{W}/settings/workspaces/",
            "shared",
            "post",
            {"ws-name": "X", "ws-slug": "x", "ws-language": "en", "ws-time_zone": "UTC"},
        ),
        P("settings_chat_widget", f"{W}/settings/chat-widget/", method="post"),
        P("settings_survey_new", f"{W}/settings/surveys/new/", method="post", data={"rows": "0"}),
        P("desk_settings_queue_add", f"{W}/settings/queues/queues/add/", method="post"),
        P("desk_settings_skill_add", f"{W}/settings/queues/skills/add/", method="post"),
        P(
            "journey_note",
            f"{W}/journey/timeline/note/",
            "case_out",
            "post",
            {"record": f"case:{n_out}", "body": "x"},
        ),
        P("desk_summary", f"{W}/desk/conversations/{tok}/summary/", "chat"),
        P("desk_call_summary", f"{W}/desk/calls/{s.call.pk}/summary/", "call"),
        P(
            "journey_contact_search",
            f"{W}/journey/conversations/{tok}/contact/search/?q=Ana",
            "chat",
        ),
        P("journey_case_search", f"{W}/journey/conversations/{tok}/case/search/?q=SECRET", "chat"),
        P("journey_timeline", f"{W}/journey/timeline/?conv={tok}", "chat"),
        # The Coaching tab (caredesk.coaching): a session and a plan of the demo agent.
        P("coaching_overview", f"{W}/coaching/"),
        P("coaching_sessions", f"{W}/coaching/sessions/"),
        P("coaching_refresh", f"{W}/coaching/refresh/", method="post"),
        P("coaching_plan", f"{W}/coaching/plans/{w.agent.pk}/", "chat"),
        P("coaching_session", f"{W}/coaching/sessions/{s.session.pk}/", "chat"),
        P(
            "coaching_session",
            f"{W}/coaching/sessions/{s.session.pk}/",
            "chat",
            "post",
            {"notes": "x", "status": "done"},
        ),
        P(
            "coaching_item_add",
            f"{W}/coaching/sessions/{s.session.pk}/items/",
            "chat",
            "post",
            {"text": "x"},
        ),
        P(
            "coaching_item_done",
            f"{W}/coaching/sessions/{s.session.pk}/items/{s.item.pk}/",
            "chat",
            "post",
            {"done": "1"},
        ),
        P("coach_settings", f"{W}/settings/coaches/"),
        P(
            "coach_settings_remove",
            f"{W}/settings/coaches/{s.assignment.pk}/remove/",
            "shared",
            "post",
        ),
    ]
    # Appeals (caredesk.quality.views_appeals).
    C, ev, ap = f"{W}/coaching", s.evaluation.pk, s.appeal.pk
    probes += [
        P("appeal_list", f"{C}/appeals/"),
        P("appeal_list", f"{C}/appeals/?status=open&mine=1"),
        P("appeal_detail", f"{C}/appeals/{ap}/", "appeal"),
        P("appeal_create", f"{C}/evaluations/{ev}/appeal/", "appeal"),
        P(
            "appeal_create",
            f"{C}/evaluations/{ev}/appeal/",
            "appeal",
            "post",
            {"comment": "x", f"a{s.criterion}": "1"},
        ),
        P("appeal_decide", f"{C}/appeals/{ap}/decide/", "appeal", "post", {"decision": "reject"}),
        P("appeal_settings", f"{W}/settings/quality/appeals/"),
        P("appeal_settings", f"{W}/settings/quality/appeals/", method="post"),
        # The review queue (evaluate) and its rules (manage_scorecards).
        P("review_queue", f"{W}/coaching/review/"),
        P("review_queue", f"{W}/coaching/review/?status=done"),
        P("sampling_rules", f"{W}/settings/quality/review-rules/"),
        P("sampling_rules", f"{W}/settings/quality/review-rules/", method="post"),
        P("sampling_rule", f"{W}/settings/quality/review-rules/{s.sampling_rule.pk}/", "shared"),
    ]
    R = f"{W}/settings/quality/review-rules/{s.sampling_rule.pk}"
    probes += [
        P("sampling_rule", f"{R}/", "shared", "post", {"name": "X"}),
        P("sampling_rule_switch", f"{R}/active/", "shared", "post", {"active": "0"}),
        P("sampling_rule_delete", f"{R}/delete/", "shared", "post"),
    ]
    # The review item is about an agent with no segment: only the admin sees it ("case_out"'s
    # audience).
    for name, action in (
        ("review_claim", "claim"),
        ("review_release", "release"),
        ("review_skip", "skip"),
    ):
        probes.append(
            P(name, f"{W}/coaching/review/{s.review_out.pk}/{action}/", "case_out", "post")
        )
    for method, name, path, data in (
        ("post", "journey_contact_link", "contact/link/", {"contact": s.ana.pk}),
        ("post", "journey_contact_new", "contact/new/", {"name": "X", "emails": "x@example.com"}),
        ("post", "journey_contact_edit", "contact/edit/", {"name": "X"}),
        ("post", "journey_case_link", "case/link/", {"number": n_in}),
        ("post", "journey_case_new", "case/new/", {"title": "X", "priority": "low"}),
    ):
        probes.append(P(name, f"{W}/journey/conversations/{tok}/{path}", "chat", method, data))
    for key, number in (("case_in", n_in), ("case_out", n_out)):
        probes += [
            P("ticket_detail", f"{W}/tickets/{number}/", key, htmx=True),
            P("journey_case", f"{W}/journey/cases/{number}/", key),
            P("journey_timeline", f"{W}/journey/timeline/?record=case:{number}", key),
        ]
    T = f"{W}/tickets/{n_out}"
    probes += [
        P("ticket_detail", f"{T}/", "case_out", "post", {"comment": "x", "priority": "low"}),
        P("ticket_assign_to_me", f"{T}/assign-to-me/", "case_out", "post"),
        P("ticket_email", f"{T}/email/", "case_out", "post", {"subject": "x", "body": "x"}),
        P("ticket_todo_add", f"{T}/todos/", "case_out", "post", {"text": "x"}),
        P("ticket_todo_done", f"{T}/todos/{s.todo_out.pk}/", "todo_out", "post", {"done": "1"}),
        P("ticket_share", f"{T}/share/", "case_out", "post", {"user": w.coach.pk}),
        P("ticket_unshare", f"{T}/unshare/", "case_out", "post", {"user": w.coach.pk}),
    ]
    for key in ("note_in", "note_out", "note_free"):
        pk = getattr(s, key).pk
        probes.append(P("journey_activity", f"{W}/journey/activities/{pk}/", key))
    # Quality: evaluate, the evaluation's page and its actions, the list.
    C, ev = f"{W}/coaching", s.eval_chat.pk
    answer = {f"a{s.eval_criterion}": "0", "reason": "x", "comment": "x"}
    probes += [
        P("evaluation_list", f"{C}/evaluations/"),
        P("evaluate", f"{C}/evaluate/?activity={s.chat_activity.pk}", "evaluable"),
        P("evaluation_detail", f"{C}/evaluations/{ev}/", "evaluation"),
        P("evaluation_edit", f"{C}/evaluations/{ev}/edit/", "evaluation"),
        P(
            "evaluate",
            f"{C}/evaluate/",
            "evaluable",
            "post",
            {"activity": s.chat_activity.pk, "scorecard": s.eval_card.pk, **answer},
        ),
        P(
            "evaluate_preview",
            f"{C}/evaluate/preview/",
            "evaluable",
            "post",
            {"version": s.eval_card.current_version_id, **answer},
        ),
        P("evaluation_acknowledge", f"{C}/evaluations/{ev}/acknowledge/", "evaluation", "post"),
        P("evaluation_edit", f"{C}/evaluations/{ev}/edit/", "evaluation", "post", answer),
        P(
            "evaluation_set_agent",
            f"{C}/evaluations/{ev}/agent/",
            "evaluation",
            "post",
            {"agent": w.manager.pk, "reason": "x"},
        ),
    ]
    A = f"{W}/journey/activities/{s.note_out.pk}"
    probes += [
        P("journey_activity_tags", f"{A}/tags/", "note_out", "post", {"add": "x"}),
        P("journey_activity_comment", f"{A}/comments/", "note_out", "post", {"body": "x"}),
        P("journey_activity_move", f"{A}/move/", "note_out", "post", {"number": n_in}),
    ]
    for key in ("response_in", "response_out"):
        pk = getattr(s, key).pk
        probes.append(P("feedback_response", f"{W}/feedback/responses/{pk}/", key))
    # Settings writes on an object: the outsider (an admin in their own organization) must not
    # reach Acme's objects through their own workspace's settings.
    agent_id, seg = w.agent.pk, w.italy.pk
    S = f"{W}/settings"
    SC, card = f"{S}/quality/scorecards", s.sc_card.pk
    probes += [
        P("scorecard_settings", f"{SC}/"),
        P("scorecard_new", f"{SC}/new/"),
        P("scorecard_new", f"{SC}/new/", method="post", data={"name": "X", "sections": "0"}),
        P("scorecard_edit", f"{SC}/{card}/", "shared"),
        P("scorecard_preview", f"{SC}/{card}/preview/", "shared"),
        P("scorecard_versions", f"{SC}/{card}/versions/", "shared"),
        P("scorecard_version", f"{SC}/{card}/versions/1/", "shared"),
        P("scorecard_rescore_job", f"{SC}/{card}/rescores/{s.rescore_job.pk}/", "shared"),
    ]
    for name, url, data in (
        ("feedback_survey_import", f"{W}/feedback/surveys/{s.survey.pk}/import/", {}),
        ("feedback_rule_toggle", f"{W}/feedback/rules/{s.rule.pk}/active/", {}),
        ("feedback_rule_run", f"{W}/feedback/rules/{s.rule.pk}/run/", {}),
        ("settings_survey_edit", f"{S}/surveys/{s.survey.pk}/", {"name": "X", "rows": "0"}),
        ("desk_settings_queue_save", f"{S}/queues/queues/{s.queue.pk}/", {"name": "X"}),
        ("desk_settings_agent_save", f"{S}/queues/agents/{agent_id}/", {"capacity": 1}),
        ("settings_member_type", f"{S}/members/{agent_id}/type/", {"user_type": "x"}),
        ("settings_member_segment", f"{S}/members/{agent_id}/segment/", {"default_segment": ""}),
        ("settings_member_remove", f"{S}/members/{agent_id}/remove/", {}),
        ("settings_permission_save", f"{S}/permissions/{agent_id}/", {}),
        ("settings_user_type_save", f"{S}/user-types/{s.user_type.pk}/", {}),
        ("settings_segment_add_child", f"{S}/segments/{seg}/add/", {"name": "X"}),
        ("settings_segment_rename", f"{S}/segments/{seg}/rename/", {"name": "X"}),
        ("settings_segment_managers", f"{S}/segments/{seg}/managers/", {}),
        ("scorecard_edit", f"{SC}/{card}/", {"name": "X", "sections": "0"}),
        ("scorecard_switch", f"{SC}/{card}/switch/", {"active": "0"}),
        ("scorecard_preview", f"{SC}/{card}/preview/", {}),
        ("scorecard_rescore", f"{SC}/{card}/rescore/", {}),
    ):
        probes.append(P(name, url, "shared", "post", data))
    C = f"{W}/coaching/calibrations"
    cal = s.calibration.pk
    probes += [
        P("calibration_list", f"{C}/"),
        P("calibration_new", f"{C}/new/"),
        P("calibration_new", f"{C}/new/?activity={s.call.pk}"),
        P("calibration_new", f"{C}/new/", method="post"),
        P("calibration_detail", f"{C}/{cal}/", "calibration_out"),
        P("calibration_score", f"{C}/{cal}/score/", "calibration_out", "post"),
        P("calibration_close", f"{C}/{cal}/close/", "calibration_out", "post"),
    ]
    # Settings → Business hours (issue 14, measures): workspace settings, manage_care.
    probes += [
        P("business_hours_settings", f"{W}/settings/business-hours/"),
        P("business_hours_settings", f"{W}/settings/business-hours/", method="post"),
    ]
    # search (issue 14): the admin finds the marked texts, nobody else sees a trace of them.
    probes += [
        P("search", f"{W}/conversations/search/"),
        P("search", f"{W}/conversations/search/?q=SECRET"),
        P("search", f"{W}/conversations/search/?q=7c1&kind=case_comment"),
    ]
    # Resource center search (issue 15, search): the knowledge articles, nothing else.
    probes += [
        P("resource_search", f"{W}/resources/search/"),
        P("resource_search", f"{W}/resources/search/?q=SECRET"),
    ]
    # insights-ui: the Insights tab (view_insights), its drill-down lists and their export.
    # Italy's slice lists the ticket only the admin sees; nobody else may find it there.
    IN = f"{W}/insights"
    probes += [
        P("insights_dashboard", f"{IN}/"),
        P("insights_dashboard", f"{IN}/?bm=tickets&by=agent"),
        P("insights_data", f"{IN}/data.json?metric=tickets&group_by=segment"),
        P("insights_rows", f"{IN}/rows/tickets/"),
        P("insights_rows", f"{IN}/rows/tickets/?by=segment&key={w.italy.pk}"),
        P("insights_rows", f"{IN}/rows/chats/"),
        P("insights_rows_export", f"{IN}/rows/tickets/export.xlsx?by=segment&key={w.italy.pk}"),
    ]
    # Conversations (issue 14, conversations): the tab, its list, one analysed conversation
    # of each audience; Settings → Topics and its writes on a topic of the workspace.
    CV, TP, topic = f"{W}/conversations", f"{S}/topics", s.topic.pk
    probes += [
        P("conversations_overview", f"{CV}/"),
        P("conversations_list", f"{CV}/list/"),
        P("conversations_list", f"{CV}/list/?label=negative&topic={topic}"),
        P("conversation_detail", f"{CV}/activity/{s.email_out.pk}/", "case_out"),
        P("conversation_detail", f"{CV}/activity/{s.call.pk}/", "call"),
        P("conversation_detail", f"{CV}/response/{s.response_in.pk}/", "response_in"),
        P("conversation_detail", f"{CV}/response/{s.response_out.pk}/", "response_out"),
        P("topic_settings", f"{TP}/"),
        P("topic_settings", f"{TP}/", method="post", data={"name": "X"}),
        P("topic_edit", f"{TP}/{topic}/", "shared"),
        P("topic_edit", f"{TP}/{topic}/", "shared", "post", {"name": "X"}),
        P("topic_toggle", f"{TP}/{topic}/toggle/", "shared", "post"),
        P("topic_delete", f"{TP}/{topic}/delete/", "shared", "post"),
        P("topic_suggestion_add", f"{TP}/suggestions/add/", method="post"),
    ]
    # Home's lists behind its figures and an agent's figures of today (issue 14, home).
    probes += [
        P("home_list", f"{W}/home/{kind}/")
        for kind in ("mine", "unassigned", "overdue", "sla-risk", "detractors")
    ]
    probes += [P("home_today", f"{W}/home/today/{m}/") for m in ("chats", "calls", "tickets")]
    # Action plans (issue 15, plans): the list, its export, the create form; each plan's page
    # and every write on it, for the plan in the manager's area and the one only admins see.
    AP = f"{W}/action-plans"
    probes += [
        P("action_plan_list", f"{AP}/"),
        P("action_plan_list", f"{AP}/?q=SECRET&overdue=1"),
        P("action_plan_export", f"{AP}/export.xlsx"),
        P("action_plan_create", f"{AP}/new/?metric=tickets&segment={w.italy.pk}"),
        P("action_plan_create", f"{AP}/new/", method="post", data={"title": "X"}),
    ]
    for key in ("case_in", "case_out"):
        plan = s.plan_in if key == "case_in" else s.plan_out
        pp, task, link = f"{AP}/{plan.pk}", plan.probe_task.pk, plan.probe_link.pk
        probes += [
            P("action_plan_detail", f"{pp}/", key),
            P("action_plan_edit", f"{pp}/edit/", key),
            P("action_plan_edit", f"{pp}/edit/", key, "post", {"title": "X"}),
            P("action_plan_status", f"{pp}/status/", key, "post", {"status": "done"}),
            P("action_plan_task_add", f"{pp}/tasks/", key, "post", {"title": "X"}),
            P("action_plan_task_edit", f"{pp}/tasks/{task}/", key, "post", {"title": "X"}),
            P("action_plan_task_done", f"{pp}/tasks/{task}/done/", key, "post", {"done": "1"}),
            P("action_plan_task_move", f"{pp}/tasks/{task}/move/", key, "post", {}),
            P("action_plan_task_delete", f"{pp}/tasks/{task}/delete/", key, "post"),
            P("action_plan_comment_add", f"{pp}/comments/", key, "post", {"body": "X"}),
            P("action_plan_link_add", f"{pp}/links/", key, "post", {"url": "https://x.example"}),
            P("action_plan_link_delete", f"{pp}/links/{link}/delete/", key, "post"),
        ]
    # An action plan's impact (issue 15, impact): readers of the plan only (404 otherwise).
    probes += [
        P("action_plan_impact", f"{AP}/{s.impact_plan_in.pk}/impact.json", "case_in"),
        P("action_plan_impact", f"{AP}/{s.impact_plan_out.pk}/impact.json", "case_out"),
    ]
    # The digest's opt-out page, by its signed token (no log-in needed; a GET changes nothing).
    probes.append(P("digest_opt_out", f"/digest/opt-out/{opt_out_token(w.support, w.manager)}/"))
    return probes


def url_names() -> set[str]:
    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern) in ("admin/", "api/v1/"):
                    continue  # Django's admin (staff only); the API is walked below
                yield from walk(p.url_patterns)
            elif isinstance(p, URLPattern):
                yield p.name

    return set(walk(get_resolver().url_patterns))


def state() -> tuple:
    """Everything a refused write could have changed."""
    return (
        list(
            Case.objects.order_by("pk").values_list(
                "pk", "status", "priority", "segment_id", "owner_id", "updated_at"
            )
        ),
        list(
            Activity.objects.order_by("pk").values_list("pk", "case_id", "contact_id", "updated_at")
        ),
        CaseComment.objects.count(),
        ActivityComment.objects.count(),
        AuditEntry.objects.count(),
        list(CaseShare.objects.values_list("case_id", "user_id")),
        list(CaseTodo.objects.order_by("pk").values_list("pk", "done")),
        Activity.tags.through.objects.count(),
        Case.tags.through.objects.count(),
        list(AlertRule.objects.order_by("pk").values_list("pk", "is_active", "name")),
        Response.objects.count(),
        Survey.objects.count(),
        list(Queue.objects.order_by("pk").values_list("pk", "name", "priority")),
        Skill.objects.count(),
        list(AgentProfile.objects.order_by("pk").values_list("pk", "capacity")),
        list(Membership.objects.order_by("pk").values_list("pk", "user_type_id")),
        PermissionGrant.objects.count(),
        list(Segment.objects.order_by("pk").values_list("pk", "name")),
        list(Segment.managers.through.objects.values_list("segment_id", "user_id")),
        list(UserType.objects.order_by("pk").values_list("pk", "permissions")),
        list(Conversation.objects.order_by("pk").values_list("pk", "status", "contact_id")),
        Message.objects.count(),
        list(WidgetSettings.objects.order_by("pk").values_list("pk", "title", "pre_chat_fields")),
        list(CalibrationSession.objects.order_by("pk").values_list("pk", "status")),
        Evaluation.objects.count(),
        list(Appeal.objects.order_by("pk").values_list("pk", "status", "reviewer_id")),
        AppealItem.objects.count(),
        list(Evaluation.objects.order_by("pk").values_list("pk", "score", "updated_at")),
        list(Workspace.objects.order_by("pk").values_list("pk", "appeal_days")),
        list(CoachingSession.objects.order_by("pk").values_list("pk", "status", "notes")),
        list(ActionItem.objects.order_by("pk").values_list("pk", "text", "done")),
        list(ActionPlan.objects.order_by("pk").values_list("pk", "title", "status", "updated_at")),
        list(PlanTask.objects.order_by("pk").values_list("pk", "title", "done", "position")),
        PlanComment.objects.count(),
        PlanLink.objects.count(),
        list(CoachAssignment.objects.order_by("pk").values_list("pk", "coach_id", "agent_id")),
        list(ReviewItem.objects.order_by("pk").values_list("pk", "status", "assignee_id")),
        list(SamplingRule.objects.order_by("pk").values_list("pk", "name", "active", "count")),
        list(
            Evaluation.objects.order_by("pk").values_list(
                "pk", "score", "agent_id", "comment", "acknowledged_at"
            )
        ),
        EvaluationChange.objects.count(),
        list(Scorecard.objects.order_by("pk").values_list("pk", "name", "active")),
        list(ScorecardVersion.objects.order_by("pk").values_list("pk", "pass_mark", "sections")),
        RescoreJob.objects.count(),
    )


@pytest.fixture
def clients(world):
    out = {}
    for name in USERS:
        c = Client()
        c.force_login(world.outsider if name == "outsider" else getattr(world, name))
        out[name] = c
    return out


def check(probe: Probe, who: str, response) -> None:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode(errors="replace")
    label = f"{who} {probe.method.upper()} {probe.url}"
    if who != "admin":
        assert MARK not in body, f"{label} shows what only an admin may see"
    allowed = who in SEES[probe.obj]
    if not allowed:
        assert response.status_code in (403, 404), f"{label}: {response.status_code}"
    elif who == "admin" and not probe.write:
        assert response.status_code < 400, f"{label}: {response.status_code}"


def test_every_page_is_walked():
    walked = {p.name for p in page_probes(_Names(), _Names())}
    assert url_names() - set(PUBLIC) == walked


class _Names:
    """Stands in for the scene and the world when only the probes' names are wanted."""

    def __getattr__(self, name):
        return self

    pk = number = 1
    public_token = "t"


def test_pages(world, scene, clients):
    for probe in page_probes(scene, world):
        for who in USERS:
            if probe.write and who in SEES[probe.obj]:
                continue  # as for the API below
            before = state() if probe.write else None
            client = clients[who]
            extra = {"HTTP_HX_REQUEST": "true"} if probe.htmx else {}
            if probe.write:
                r = client.post(probe.url, probe.data, **extra)
            else:
                r = client.get(probe.url, **extra)
            check(probe, who, r)
            if probe.write and who not in SEES[probe.obj]:
                assert state() == before, f"{who} POST {probe.url} changed something"


# -- the API ---------------------------------------------------------------------------------


# Path parameter → (scene attribute for the object, SEES key). A path with several objects
# (e.g. an activity's tag) names its object by the first.
def api_probes(s, w) -> list[Probe]:
    objects = {
        "number": [("case_in", s.case_in.number), ("case_out", s.case_out.number)],
        "activity_id": [(k, getattr(s, k).pk) for k in ("note_in", "note_out", "note_free")],
        "contact_id": [("shared", s.ana.pk)],
        "account_id": [("shared", s.account.pk)],
        "survey_id": [("shared", s.survey.pk)],
        "rule_id": [("shared", s.rule.pk)],
        "token": [("chat", s.chat.public_token)],
        "queue_id": [("shared", s.queue.pk)],
        "scorecard_id": [("shared", s.sc_card.pk)],
        "user_id": [("shared", w.agent.pk)],
        "calibration_id": [("calibration_out", s.calibration.pk)],
        "evaluation_id": [("appeal", s.evaluation.pk), ("evaluation", s.eval_chat.pk)],
        "appeal_id": [("appeal", s.appeal.pk)],
        "agent_id": [("chat", w.agent.pk)],
        "session_id": [("chat", s.session.pk)],
        "assignment_id": [("shared", s.assignment.pk)],
        "item_id": [("case_out", s.review_out.pk)],  # a review item only the admin sees
        "topic_id": [("shared", s.topic.pk)],  # conversations (issue 14)
        "response_id": [(k, getattr(s, k).pk) for k in ("response_in", "response_out")],
        # Action plans (issue 15): Lisbon's store's plan (as case_in), Italy's (as case_out).
        "plan_id": [("case_in", s.plan_in.pk), ("case_out", s.plan_out.pk)],
    }
    # An operation whose object is not the parameter's usual one (conversations: only an
    # analysed activity has an analysis; the notes above have none).
    objects_of = {
        "GET /activities/{activity_id}/analysis": {
            "activity_id": [("call", s.call.pk), ("case_out", s.email_out.pk)]
        },
    }
    bodies = {
        "POST /tickets": {"customer_email": "x@example.com", "comment": "x"},
        "PATCH /tickets/{number}": {"comment": "x", "priority": "low"},
        "POST /customers": {"name": "X"},
        "PATCH /customers/{contact_id}": {"name": "X"},
        "POST /accounts": {"name": "X"},
        "PATCH /accounts/{account_id}": {"name": "X"},
        "POST /surveys": {"kind": "nps", "name": "X"},
        "POST /surveys/{survey_id}/responses": {"score": 9},
        "POST /surveys/{survey_id}/responses/bulk": {"items": [{"score": 9}]},
        "POST /alert-rules": {"name": "X", "criteria": {}, "actions": {"create_case": {}}},
        "PUT /alert-rules/{rule_id}": {"name": "X", "criteria": {}, "actions": {"create_case": {}}},
        "POST /alert-rules/{rule_id}/active": {"is_active": False},
        "POST /calls/events": {"call_id": "c1", "event": "ringing", "caller": "+351912345678"},
        "POST /calls/{call_id}/transcript": {"text": "x"},
        "POST /conversations/{token}/messages": {"client_id": "c", "body": "hi"},
        "PUT /conversations/{token}/contact": {"contact": s.ana.pk},
        "PUT /presence": {"presence": "available"},
        "POST /queues": {"name": "X"},
        "PATCH /queues/{queue_id}": {"priority": 3},
        "POST /skills": {"name": "x"},
        "PUT /agents/{user_id}": {"capacity": 1},
        "POST /activities": {"ticket": s.case_out.number, "body": "x"},
        "POST /activities/{activity_id}/move": {"ticket": None},
        "POST /activities/{activity_id}/ticket": {"title": "t"},
        "POST /activities/{activity_id}/tags": {"tag": "t"},
        "POST /activities/{activity_id}/comments": {"body": "x"},
        "POST /calibrations/{calibration_id}/evaluations": {"answers": {}},
        "POST /evaluations/{evaluation_id}/appeals": {
            "comment": "x",
            "items": {str(s.criterion): {"value": 1}},
        },
        "POST /appeals/{appeal_id}/decision": {"decision": "reject", "comment": "x"},
        "PATCH /coaching-sessions/{session_id}": {"notes": "x"},
        "POST /coaching-sessions/{session_id}/action-items": {"text": "x"},
        "PATCH /coaching-sessions/{session_id}/action-items/{item_id}": {"done": True},
        "POST /evaluations": {
            "scorecard": s.eval_card.pk,
            "activity": s.chat_activity.pk,
            "answers": {str(s.eval_criterion): {"value": 0}},
        },
        "PATCH /evaluations/{evaluation_id}": {"reason": "x", "comment": "x"},
        "POST /evaluations/{evaluation_id}/agent": {"agent": w.manager.pk, "reason": "x"},
        "POST /scorecards": {"name": "X", "sections": []},
        "PATCH /scorecards/{scorecard_id}": {"active": False},
        # Business hours (issue 14, measures).
        "PUT /business-hours": {
            "week": {"0": [["09:00", "17:00"]]},
            "first_response_target_minutes": 60,
            "resolution_target_hours": 24,
        },
        "POST /business-hours/holidays": {"date": "2026-12-25", "name": "x"},
        "POST /topics": {"name": "X"},
        "PATCH /topics/{topic_id}": {"name": "X"},
        # Action plans (issue 15).
        "POST /action-plans": {"title": "X"},
        "PATCH /action-plans/{plan_id}": {"title": "X"},
        "POST /action-plans/{plan_id}/tasks": {"title": "X"},
        "PATCH /action-plans/{plan_id}/tasks/{task_id}": {"done": True},
        "POST /action-plans/{plan_id}/comments": {"body": "X"},
        "POST /action-plans/{plan_id}/links": {"url": "https://x.example"},
    }
    # Query strings an operation needs to answer 200 (appended to its URL).
    queries = {
        "GET /search": "?q=SECRET",  # search (issue 14)
        "GET /articles/search": "?q=SECRET",  # resource center search (issue 15)
        "GET /metrics": "?metric=tickets&group_by=segment",  # metrics
        "GET /metrics/{metric}/rows": "?from=2020-01-01&limit=200",  # metrics
    }
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    prefix = "/api/v1/workspaces/{workspace}"
    probes = []
    for template, ops in paths.items():
        rel = template[len(prefix) :] if template.startswith(prefix) else template
        for method in ops:
            name = f"{method.upper()} {rel}"
            params = [p.strip("{}") for p in rel.split("/") if p.startswith("{")]
            variants = [(None, {})]
            own = objects_of.get(name, objects)
            for param in params:
                if param in own:
                    variants = [(key, {param: v}) for key, v in own[param]]
                    break
            for key, values in variants:
                url = template.replace("{workspace}", "support")
                for param in params:
                    url = url.replace(
                        "{" + param + "}",
                        str(
                            values.get(
                                param,
                                {
                                    "tag": MARK,
                                    "offer_id": 999999,
                                    "call_id": "c1",
                                    "job_id": s.rescore_job.pk,
                                    "metric": "tickets",  # metrics
                                }.get(param, 1),
                            )
                        ),
                    )
                url += queries.get(name, "")
                probes.append(Probe(name, url, key, method, bodies.get(name, {})))
    return probes


def test_every_api_operation_is_walked(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    documented = {(m, p) for p, ops in paths.items() for m in ops}
    walked = {(p.method, p.name.split(" ", 1)[1]) for p in api_probes(_Names(), _Names())}
    prefix = "/api/v1/workspaces/{workspace}"
    assert {(m, p[len(prefix) :] if p.startswith(prefix) else p) for m, p in documented} == walked


def test_api(world, scene, api_client):
    clients = {
        who: api_client(world.outsider if who == "outsider" else getattr(world, who))
        for who in USERS
    }
    for probe in api_probes(scene, world):
        for who in USERS:
            # Writes are probed only on what the user may not see: the others are the
            # business of each area's own tests.
            if probe.write and who in SEES[probe.obj]:
                continue
            before = state() if probe.write else None
            client = clients[who]
            r = (
                getattr(client, probe.method)(
                    probe.url, json.dumps(probe.data), content_type="application/json"
                )
                if probe.write
                else client.get(probe.url)
            )
            check(probe, who, r)
            if probe.write:
                assert state() == before, f"{who} {probe.name} {probe.url} changed something"


# -- the workspace events socket -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
async def test_the_events_socket_sends_a_ticket_only_to_whoever_sees_it(world):
    from asgiref.sync import sync_to_async
    from channels.testing import WebsocketCommunicator

    from caredesk.asgi import application
    from caredesk.care import services as care
    from caredesk.care.models import CaseShare
    from caredesk.workspaces.access import get_access

    from ..waiting import WAIT, close, receive

    def cookie(user) -> bytes:
        c = Client()
        c.force_login(user)
        return f"sessionid={c.cookies['sessionid'].value}".encode()

    admin = await sync_to_async(get_access)(world.admin, "support")
    who_all = ("admin", "manager", "coach", "agent")

    def create(segment, title, share_with=()):
        case = care.case_create(
            access=admin,
            customer_email="e@example.com",
            comment="x",
            segment_id=segment.pk if segment else None,
            title=title,
        )
        for user in share_with:
            CaseShare.objects.create(case=case, user=user)
        return case

    # A ticket every one of them sees (shared with those who would not), announced last: the
    # layer keeps one publisher's order per socket, so once its event is in, whatever came
    # before it has been delivered or withheld (a ping would not do: on Redis the events and
    # the socket's own answers travel apart).
    beacon = await sync_to_async(create)(
        None, "Beacon", [getattr(world, w) for w in who_all if w != "admin"]
    )
    sockets = {}
    for who in who_all:
        headers = [
            (b"origin", b"http://127.0.0.1:8000"),
            (b"host", b"127.0.0.1:8000"),
            (b"cookie", await sync_to_async(cookie)(getattr(world, who))),
        ]
        ws = WebsocketCommunicator(application, "/ws/v1/workspaces/support/events/", headers)
        assert (await ws.connect(timeout=WAIT))[0]
        await receive(ws, "hello")
        sockets[who] = ws

    hidden = await sync_to_async(create)(world.italy, MARK)
    seen = await sync_to_async(create)(world.store1, "Lisbon")
    await sync_to_async(care.case_publish_update)(beacon)
    received = {}
    for who, ws in sockets.items():
        got = []
        while (number := (await receive(ws, "event"))["event"]["number"]) != beacon.number:
            got.append(number)
        received[who] = got
    await close(*sockets.values())
    assert received == {
        "admin": [hidden.number, seen.number],
        "manager": [seen.number],
        "coach": [],
        "agent": [],
    }
