"""The Coaching tab's own pages: the overview (a coach's or manager's team, an agent's own
plan), each agent's plan, coaching sessions; and Settings → Coaches. Thin: reads through
coaching.selectors, writes through coaching.sessions / assignments / tasks."""

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caredesk.coaching import assignments, selectors, sessions, tasks
from caredesk.coaching.models import ActionItem, SessionStatus
from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import Tab
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.selectors import segment_tree
from caredesk.workspaces.views import settings_sections
from caredesk.workspaces.web import render_ws, workspace_view

PERIODS = (7, 30, 90)


def _render(request, access, template, context, status=200):
    return render_ws(request, access, template, context, active=Tab.COACHING, status=status)


def _period(request) -> int:
    raw = request.GET.get("days", "")
    return int(raw) if raw.isdigit() and int(raw) in PERIODS else 30


def _minutes(seconds):
    return None if seconds is None else round(seconds / 60, 1)


def with_minutes(figures: dict) -> dict:
    """Handle times in minutes, as contact centers read them."""
    return {
        **figures,
        "handle_minutes": _minutes(figures.get("handle_seconds")),
        "team_handle_minutes": _minutes(figures.get("team_handle_seconds")),
    }


def _plan_context(access: Access, agent, plan) -> dict:
    own_sessions = list(
        selectors.sessions_visible(access)
        .filter(agent=agent)
        .prefetch_related("criteria", "action_items")
        .order_by("-scheduled_at", "-id")[:20]
    )
    return {
        "agent": agent,
        "plan": plan,
        "areas": [
            (a, *selectors.spark(a.trend), selectors.weeks(a.trend))
            for a in (plan.focus_areas.all() if plan else [])
        ],
        "f": with_minutes(plan.figures) if plan else {},
        "plan_sessions": [(s, selectors.session_effect(s)) for s in own_sessions],
        "can_coach": access.has(Perm.EVALUATE)
        and (access.user is None or agent.pk != access.user.pk),
    }


@require_GET
@workspace_view(Perm.USE_CARE)
def coaching_overview(request, access):
    if not selectors.coaches(access):
        agent, plan = selectors.plan_of(access, access.user.pk)
        return _render(request, access, "coaching/plan.html", _plan_context(access, agent, plan))
    days = _period(request)
    end = timezone.now()
    start = end - dt.timedelta(days=days - 1)  # today and the days before it
    plans = {p.agent_id: p for p in selectors.plans_visible(access)}
    rows = selectors.team_overview(access, start=start, end=end)
    return _render(
        request,
        access,
        "coaching/overview.html",
        {
            "rows": [(r, plans.get(r.agent.pk)) for r in rows],
            "metrics": with_minutes(selectors.area_metrics(access, start=start, end=end)),
            "due": selectors.sessions_due(access),
            "days": days,
            "periods": PERIODS,
            "built_at": max((p.built_at for p in plans.values()), default=None),
        },
    )


@require_POST
@workspace_view(Perm.EVALUATE)
def coaching_refresh(request, access):
    tasks.build_workspace_plans(access.workspace.pk)
    messages.success(request, _("The coaching plans are being refreshed."))
    return redirect("coaching_overview", access.workspace.slug)


@require_GET
@workspace_view(Perm.USE_CARE)
def coaching_plan(request, access, agent):
    agent, plan = selectors.plan_of(access, agent)
    return _render(request, access, "coaching/plan.html", _plan_context(access, agent, plan))


def _agent_choices(access: Access):
    from caredesk.workspaces.models import User

    return User.objects.filter(pk__in=selectors.visible_agent_ids(access)).order_by(
        "first_name", "last_name", "pk"
    )


def _sessions_page(request, access, values=None, errors=None, status=200):
    qs = selectors.sessions_visible(access).prefetch_related("criteria")
    show = request.GET.get("show", "")
    if show in SessionStatus.values:
        qs = qs.filter(status=show)
    can_coach = access.has(Perm.EVALUATE)
    return _render(
        request,
        access,
        "coaching/sessions.html",
        {
            "sessions": list(qs.order_by("-scheduled_at", "-id")[:200]),
            "show": show,
            "statuses": SessionStatus.choices,
            "can_coach": can_coach,
            "agents": _agent_choices(access) if can_coach else [],
            "criteria": selectors.criterion_choices(access) if can_coach else [],
            "v": values
            or {"agent": request.GET.get("agent", ""), "criteria": [], "notes": "", "when": ""},
            "errors": errors or {},
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.USE_CARE)
def coaching_sessions(request, access):
    if request.method == "GET":
        return _sessions_page(request, access)
    access.require(Perm.EVALUATE)
    values = {
        "agent": request.POST.get("agent", ""),
        "when": request.POST.get("scheduled_at", ""),
        "criteria": request.POST.getlist("criteria"),
        "notes": request.POST.get("notes", ""),
    }
    try:
        session = sessions.session_create(
            access=access,
            agent_id=values["agent"],
            scheduled_at=values["when"],
            criteria=values["criteria"],
            notes=values["notes"],
        )
    except FieldErrors as e:
        return _sessions_page(request, access, values, e.errors, status=INVALID)
    messages.success(request, _("Coaching session scheduled."))
    return redirect("coaching_session", access.workspace.slug, session.pk)


def _session_page(request, access, session, errors=None, status=200):
    return _render(
        request,
        access,
        "coaching/session.html",
        {
            "session": session,
            "effect": selectors.session_effect(session),
            "items": list(session.action_items.all()),
            "can_coach": access.has(Perm.EVALUATE)
            and (access.user is None or session.agent_id != access.user.pk),
            "is_agent": access.user is not None and session.agent_id == access.user.pk,
            "errors": errors or {},
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.USE_CARE)
def coaching_session(request, access, session):
    session = selectors.session_get(access, session)
    if request.method == "GET":
        return _session_page(request, access, session)
    status = request.POST.get("status") or None
    notes = request.POST.get("notes") if "notes" in request.POST else None
    try:
        sessions.session_update(access=access, session=session, notes=notes, status=status)
    except FieldErrors as e:
        session.refresh_from_db()
        return _session_page(request, access, session, e.errors, status=INVALID)
    messages.success(request, _("Saved."))
    return redirect("coaching_session", access.workspace.slug, session.pk)


@require_POST
@workspace_view(Perm.USE_CARE)
def coaching_item_add(request, access, session):
    session = selectors.session_get(access, session)
    try:
        sessions.action_item_add(
            access=access,
            session=session,
            text=request.POST.get("text", ""),
            due_date=request.POST.get("due_date", ""),
        )
    except FieldErrors as e:
        return _session_page(request, access, session, e.errors, status=INVALID)
    return redirect("coaching_session", access.workspace.slug, session.pk)


@require_POST
@workspace_view(Perm.USE_CARE)
def coaching_item_done(request, access, session, item):
    session = selectors.session_get(access, session)
    found = ActionItem.objects.filter(session=session, pk=item).first()
    if found is None:
        raise Http404("No such action item")
    sessions.action_item_set(access=access, item=found, done=request.POST.get("done") == "1")
    return redirect("coaching_session", access.workspace.slug, session.pk)


# --------------------------------------------------------------------------- settings


def _settings_page(request, access, values=None, errors=None, status=200):
    from caredesk.workspaces.models import User

    members = User.objects.filter(is_active=True, memberships__workspace=access.workspace).order_by(
        "first_name", "last_name", "pk"
    )
    return render_ws(
        request,
        access,
        "coaching/settings_coaches.html",
        {
            "sections": settings_sections(access, "coaches"),
            "rows": list(assignments.assignments(access)),
            "coaches": assignments.coach_choices(access),
            "members": members,
            "segments": [
                (s.pk, "\u00a0\u00a0\u00a0" * s.depth + s.name)
                for s in segment_tree(access.workspace.organization_id)
            ],
            "v": values or {"coach": "", "agent": "", "segment": ""},
            "errors": errors or {},
        },
        active="settings",
        status=status,
    )


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.MANAGE_CARE)
def coach_settings(request, access):
    if request.method == "GET":
        return _settings_page(request, access)
    values = {k: request.POST.get(k, "") for k in ("coach", "agent", "segment")}
    try:
        assignments.coach_assign(
            access=access,
            coach_id=values["coach"],
            agent_id=values["agent"] or None,
            segment_id=values["segment"] or None,
        )
    except FieldErrors as e:
        return _settings_page(request, access, values, e.errors, status=INVALID)
    messages.success(request, _("Coach assigned."))
    return redirect("coach_settings", access.workspace.slug)


@require_POST
@workspace_view(Perm.MANAGE_CARE)
def coach_settings_remove(request, access, assignment):
    found = assignments.assignment_get(access, assignment)
    assignments.coach_unassign(access=access, assignment=found)
    messages.success(request, _("Coach assignment removed."))
    return redirect("coach_settings", access.workspace.slug)
