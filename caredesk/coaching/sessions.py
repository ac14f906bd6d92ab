"""Coaching sessions: a coach (or a manager of the agent's area) schedules one with an agent
about one or more criteria, writes notes, agrees action items with due dates, and marks it
done or cancelled. Every write checks `evaluate` and that the session's agent is one the
user coaches or manages (selectors.agent_visible: 404 otherwise); the agent reads their
sessions and ticks their own action items done, nothing else."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from caredesk.coaching.models import ActionItem, CoachingSession, SessionStatus
from caredesk.coaching.selectors import agent_visible, criterion_choices
from caredesk.core.errors import FieldErrors
from caredesk.core.limits import MAX_BODY, check_datetime, text_error
from caredesk.quality.people import agent_segment_path, int_or_none
from caredesk.workspaces.access import Access, refusal
from caredesk.workspaces.permissions import Perm

MAX_CRITERIA = 20


def _when(value, field: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        when = value
    elif isinstance(value, str) and value.strip():
        when = parse_datetime(value.strip())
        if when is None:
            try:
                when = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                when = None
        if when is None:
            raise FieldErrors.one(
                field, _("Not a date and time (YYYY-MM-DD HH:MM): %(value)s") % {"value": value}
            )
    else:
        raise FieldErrors.one(field, _("A date and time is required."))
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return check_datetime(when, field)


def _day(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    day = parse_date(value.strip()) if isinstance(value, str) else None
    if day is None:
        raise FieldErrors.one(field, _("Not a date (YYYY-MM-DD): %(value)s") % {"value": value})
    return day


def _criteria(access: Access, ids) -> list[int]:
    if not isinstance(ids, list | tuple):
        raise FieldErrors.one("criteria", _("A list of criterion ids."))
    if not ids:
        raise FieldErrors.one("criteria", _("Choose at least one criterion."))
    if len(ids) > MAX_CRITERIA:
        raise FieldErrors.one("criteria", _("At most %(n)s criteria.") % {"n": MAX_CRITERIA})
    known = {cid for cid, _label in criterion_choices(access)}
    out = []
    for raw in ids:
        cid = int_or_none(raw) if not isinstance(raw, bool) else None
        if cid is None or cid not in known:
            raise FieldErrors.one(
                "criteria", _("No such criterion: %(value)s.") % {"value": str(raw)[:40]}
            )
        if cid not in out:
            out.append(cid)
    return out


def _notes(value) -> str:
    if not isinstance(value, str):
        raise FieldErrors.one("notes", _("A text."))
    if problem := text_error(value, MAX_BODY):
        raise FieldErrors.one("notes", problem)
    return value.strip()


def _require_coach(access: Access, agent_id) -> None:
    access.require(Perm.EVALUATE)
    agent_visible(access, agent_id)
    if access.user is not None and access.user.pk == agent_id:
        raise PermissionDenied(refusal(access.workspace, Perm.EVALUATE))


def session_create(
    *, access: Access, agent_id, scheduled_at, criteria, notes: str = ""
) -> CoachingSession:
    access.require(Perm.EVALUATE)
    uid = int_or_none(agent_id) if not isinstance(agent_id, bool) else None
    if uid is None:
        raise FieldErrors.one("agent", _("No such agent."))
    try:
        agent = agent_visible(access, uid)
    except Http404:
        raise FieldErrors.one("agent", _("No such agent among those you coach.")) from None
    if access.user is not None and agent.pk == access.user.pk:
        raise FieldErrors.one("agent", _("You cannot coach yourself."))
    errors: dict[str, str] = {}
    values = {}
    for key, check in (
        ("scheduled_at", lambda: _when(scheduled_at, "scheduled_at")),
        ("criteria", lambda: _criteria(access, criteria)),
        ("notes", lambda: _notes(notes)),
    ):
        try:
            values[key] = check()
        except FieldErrors as e:
            errors.update(e.errors)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        session = CoachingSession.objects.create(
            workspace=access.workspace,
            agent=agent,
            coach=access.user,
            segment_path=agent_segment_path(access.workspace, agent.pk),
            scheduled_at=values["scheduled_at"],
            notes=values["notes"],
            created_by=access.user,
        )
        session.criteria.set(values["criteria"])
    return session


def session_update(
    *,
    access: Access,
    session: CoachingSession,
    notes=None,
    status=None,
    scheduled_at=None,
    criteria=None,
) -> CoachingSession:
    """Change what is given (None: unchanged). A done or cancelled session keeps its status."""
    _require_coach(access, session.agent_id)
    errors: dict[str, str] = {}
    changes: dict = {}
    if notes is not None:
        try:
            changes["notes"] = _notes(notes)
        except FieldErrors as e:
            errors.update(e.errors)
    if scheduled_at is not None:
        try:
            changes["scheduled_at"] = _when(scheduled_at, "scheduled_at")
        except FieldErrors as e:
            errors.update(e.errors)
    new_criteria = None
    if criteria is not None:
        try:
            new_criteria = _criteria(access, criteria)
        except FieldErrors as e:
            errors.update(e.errors)
    if status is not None and status != session.status:
        if status not in SessionStatus.values:
            errors["status"] = _("One of: %(values)s.") % {
                "values": ", ".join(SessionStatus.values)
            }
        elif session.status != SessionStatus.SCHEDULED or status == SessionStatus.SCHEDULED:
            errors["status"] = _("This session is already %(status)s.") % {
                "status": session.get_status_display()
            }
        else:
            changes["status"] = status
            changes["done_at"] = timezone.now() if status == SessionStatus.DONE else None
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        for key, value in changes.items():
            setattr(session, key, value)
        session.save()
        if new_criteria is not None:
            session.criteria.set(new_criteria)
    return session


def session_delete(*, access: Access, session: CoachingSession) -> None:
    _require_coach(access, session.agent_id)
    session.delete()


def action_item_add(*, access: Access, session: CoachingSession, text, due_date=None) -> ActionItem:
    _require_coach(access, session.agent_id)
    errors = {}
    if not isinstance(text, str) or not text.strip():
        errors["text"] = _("Write what was agreed.")
    elif problem := text_error(text, 500):
        errors["text"] = problem
    try:
        due = _day(due_date, "due_date")
    except FieldErrors as e:
        errors.update(e.errors)
    if errors:
        raise FieldErrors(errors)
    return ActionItem.objects.create(session=session, text=text.strip(), due_date=due)


def action_item_set(*, access: Access, item: ActionItem, done=None, text=None, due_date=None):
    """The agent may tick their own items done (or not); the coach changes anything."""
    session = item.session
    own = access.user is not None and session.agent_id == access.user.pk
    if not (own and text is None and due_date is None):
        _require_coach(access, session.agent_id)
    errors = {}
    if done is not None and not isinstance(done, bool):
        errors["done"] = _("true or false.")
    if text is not None and (not isinstance(text, str) or not text.strip()):
        errors["text"] = _("Write what was agreed.")
    elif text is not None and (problem := text_error(text, 500)):
        errors["text"] = problem
    due = None
    if due_date is not None:
        try:
            due = _day(due_date, "due_date")
        except FieldErrors as e:
            errors.update(e.errors)
    if errors:
        raise FieldErrors(errors)
    if done is not None and done != item.done:
        item.done = done
        item.done_at = timezone.now() if done else None
    if text is not None:
        item.text = text.strip()
    if due_date is not None:
        item.due_date = due
    item.save()
    return item
