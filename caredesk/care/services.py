"""Writes for tickets (cases). Each function validates everything first, then writes the change,
its comment and its audit entries in one transaction, and emits its event in it (sent to the
workspace events socket after commit: caredesk.events)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from caredesk import events
from caredesk.audit.services import audit_changes
from caredesk.care.models import (
    DONE_STATUSES,
    Case,
    CaseComment,
    CaseShare,
    CaseTodo,
    Origin,
    Priority,
    ResolutionReason,
    Status,
    Tag,
)
from caredesk.core import zones
from caredesk.core.errors import FieldErrors, choice_errors
from caredesk.core.limits import MAX_BODY, MAX_TAGS, check_texts, text_errors
from caredesk.customers.models import Contact, ContactEmail
from caredesk.customers.services import contact_for_email, normalize_email
from caredesk.workspaces.access import Access, workspace_permissions
from caredesk.workspaces.models import Membership, Segment, SegmentSource, User, Workspace
from caredesk.workspaces.permissions import Perm

_UNSET = object()


def _segment(access: Access, segment_id) -> Segment | None:
    if segment_id in (None, ""):
        return None
    seg = Segment.objects.filter(
        organization_id=access.workspace.organization_id, pk=segment_id
    ).first()
    if seg is None:
        raise FieldErrors.one("segment", _("No such segment."))
    return seg


def _managers_of(segment: Segment | None) -> list[User]:
    if segment is None:
        return []
    return list(segment.managers.filter(is_active=True))


def _owner_for(segment: Segment | None, owner_id) -> User | None:
    return _owner_among(_managers_of(segment), owner_id)


def _owner_among(managers: list[User], owner_id) -> User | None:
    """The owner must manage the segment (`managers`: its active managers); with no owner
    given, a segment with exactly one manager gets that manager."""
    if owner_id in (None, ""):
        return managers[0] if len(managers) == 1 else None
    owner = next((m for m in managers if str(m.pk) == str(owner_id)), None)
    if owner is None:
        raise FieldErrors.one("owner", _("The owner must be a manager of the selected segment."))
    return owner


def case_numbers_take(workspace: Workspace, count: int = 1) -> int:
    """Reserve `count` consecutive ticket numbers of the workspace; returns the first. One
    `UPDATE … RETURNING` (SQLite ≥ 3.35, PostgreSQL) takes them and locks the counter row
    until the transaction ends, so two processes never get the same number; a caller taking
    many should do it last in its transaction, as the row stays locked until the commit."""
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {Workspace._meta.db_table} SET next_case_number = next_case_number + %s "
            "WHERE id = %s RETURNING next_case_number",
            [count, workspace.pk],
        )
        return cur.fetchone()[0] - count


def _label(value) -> str:
    if value is None:
        return ""
    if isinstance(value, User):
        return value.get_username()
    return str(value)


@dataclass
class NewCase:
    """The arguments of case_create (without tags) for one ticket."""

    customer_email: str
    comment: str
    priority: str = Priority.MEDIUM
    status: str = Status.NEW
    segment_id: int | None = None
    owner_id: int | None = None
    origin: str = Origin.MANUAL
    title: str = ""
    customer_comment: str = ""
    reported_at: dt.datetime | None = None
    customer_email_optional: bool = False
    # The contact of customer_email when the caller knows it already (e.g. the contact a
    # survey response was linked to at intake): that email is then not looked up again.
    contact_id: int | None = None
    # Where the ticket comes from, for its segment when it names none (segment_id):
    # the segment of the queue whose work it is about, and of the survey response it follows.
    queue_segment_id: int | None = None
    survey_segment_id: int | None = None
    # The agent handling the customer it is opened for (the desk's "Add ticket"): they own
    # it unless an owner is named, and their default segment is the "agent" source.
    handler_id: int | None = None
    # A coaching case's agent (Case.about_agent): whose work it is about.
    about_agent_id: int | None = None


@dataclass
class CaseDraft:
    """A NewCase that passed every check, with what the checks found."""

    item: NewCase
    email: str  # normalized; "" for none
    segment: Segment | None
    owner: User | None

    def fields(self, access: Access, now: dt.datetime) -> dict:
        """The new Case's fields but its number and contact (each write path finds those)."""
        item, segment = self.item, self.segment
        return {
            "workspace": access.workspace,
            "title": item.title.strip(),
            "customer_email": self.email,
            "source_segment": segment,
            "segment": segment,
            "segment_path": segment.path if segment else "",
            "owner": self.owner,
            "priority": item.priority,
            "status": item.status,
            "origin": item.origin,
            "reported_at": item.reported_at or now,
            "customer_comment": item.customer_comment or "",
            "about_agent_id": item.about_agent_id,
            "created_by": access.user,
            "last_activity_at": now,
            "closed_at": now if item.status == Status.CLOSED else None,
        }

    def changes(self) -> list[tuple[str, str, str]]:
        """The audit entries of the creation: (field, old, new)."""
        return [
            ("status", "", self.item.status),
            ("priority", "", self.item.priority),
            ("segment", "", _label(self.segment)),
            ("owner", "", _label(self.owner)),
        ]


def _email_key(item: NewCase) -> str:
    try:
        return normalize_email(item.customer_email, "customer_email")
    except FieldErrors:
        return ""


def _customer_key(item: NewCase) -> tuple:
    return ("c", item.contact_id) if item.contact_id else ("e", _email_key(item))


class CaseDrafts:
    """The one validate-and-build step of case_create and care.bulk.cases_create_many: checks
    a NewCase (raising the FieldErrors case_create raises) and gives its CaseDraft.

    A ticket that names no segment takes the first found of the workspace's
    `case_segment_order` (the queue's, the survey response's, the customer's (that of their
    latest ticket here), the creating or handling agent's default segment), then the
    workspace's `default_segment`. Its owner: the one named (a manager of the segment), else
    the agent handling it, else the segment's only manager.

    Everything is read up front per distinct key, in at most six queries whatever the number
    of items: the customers' segments, the agents' default segments, the handlers, the
    segments, their active managers."""

    def __init__(self, access: Access, items: list[NewCase]):
        workspace = access.workspace
        org_id = workspace.organization_id
        self.access = access
        self.order = [s for s in workspace.case_segment_order or [] if s in SegmentSource.values]
        self.default_segment_id = workspace.default_segment_id
        open_items = [i for i in items if i.segment_id in (None, "")]
        # The customers' segments: that of their latest ticket in this workspace with one.
        # (("c", contact id) or ("e", email)) -> (reported_at, segment id) of that ticket;
        # kept up to date by check(), so the items of one batch see each other as the tickets
        # case_create would have made one by one.
        self.customer_segments: dict[tuple, tuple] = {}
        if open_items and SegmentSource.CONTACT in self.order:

            def latest(contact_ref: str, column: str):
                return Subquery(
                    Case.objects.filter(
                        workspace=workspace, contact_id=OuterRef(contact_ref), segment__isnull=False
                    )
                    .order_by("-reported_at", "-id")
                    .values(column)[:1]
                )

            contact_ids = {i.contact_id for i in open_items if i.contact_id}
            emails = {_email_key(i) for i in open_items if not i.contact_id} - {""}
            if contact_ids:
                rows = (
                    Contact.objects.filter(organization_id=org_id, pk__in=contact_ids)
                    .annotate(seg=latest("pk", "segment_id"), at=latest("pk", "reported_at"))
                    .values_list("pk", "seg", "at")
                )
                self.customer_segments.update((("c", c), (at, s)) for c, s, at in rows if s)
            if emails:
                rows = (
                    ContactEmail.objects.filter(organization_id=org_id, email__in=emails)
                    .annotate(
                        seg=latest("contact_id", "segment_id"),
                        at=latest("contact_id", "reported_at"),
                    )
                    .values_list("email", "seg", "at")
                )
                self.customer_segments.update((("e", e), (at, s)) for e, s, at in rows if s)
        # The agents': the creator's, or the handler's when there is one.
        creator_id = access.user.pk if access.user else None
        agent_ids = {i.handler_id or creator_id for i in open_items} - {None}
        self.agent_segments: dict[int, int] = {}
        if agent_ids and SegmentSource.AGENT in self.order:
            self.agent_segments = dict(
                Membership.objects.filter(
                    workspace=workspace, user_id__in=agent_ids, default_segment__isnull=False
                ).values_list("user_id", "default_segment_id")
            )
        handler_ids = {_int_or_none(i.handler_id) for i in items if i.handler_id} - {None}
        self.handlers = {
            u.pk: u
            for u in User.objects.filter(organization_id=org_id, is_active=True, pk__in=handler_ids)
        }
        ids = {_int_or_none(i.segment_id) for i in items if i.segment_id not in (None, "")}
        ids |= {i.queue_segment_id for i in open_items} | {i.survey_segment_id for i in open_items}
        ids |= {seg for _, seg in self.customer_segments.values()}
        ids |= set(self.agent_segments.values()) | {self.default_segment_id}
        self.segments = {
            s.pk: s for s in Segment.objects.filter(organization_id=org_id, pk__in=ids - {None})
        }
        self.managers: dict[int, list[User]] = defaultdict(list)
        rows = Segment.managers.through.objects.filter(
            segment_id__in=list(self.segments), user__is_active=True
        )
        for row in rows.select_related("user").order_by("user_id"):
            self.managers[row.segment_id].append(row.user)
        self._known_choices: set[tuple] = set()  # (priority, status, origin) found valid

    def segment_for(self, item: NewCase) -> Segment | None:
        """The segment of a ticket that names none: the first source that gives one."""
        creator_id = self.access.user.pk if self.access.user else None
        found = {
            SegmentSource.QUEUE: lambda: item.queue_segment_id,
            SegmentSource.SURVEY: lambda: item.survey_segment_id,
            SegmentSource.CONTACT: lambda: self.customer_segments.get(
                _customer_key(item), (None, None)
            )[1],
            SegmentSource.AGENT: lambda: self.agent_segments.get(item.handler_id or creator_id),
        }
        for source in self.order:
            segment = self.segments.get(found[source]())
            if segment is not None:
                return segment
        return self.segments.get(self.default_segment_id)

    def check(self, item: NewCase, *, tags: list[str] | None = None) -> CaseDraft:
        """The item's draft, or FieldErrors naming every wrong field. `tags`: case_create's."""
        errors: dict[str, str] = {}
        email = ""
        if not (item.customer_email_optional and not (item.customer_email or "").strip()):
            try:
                email = normalize_email(item.customer_email, "customer_email")
            except FieldErrors as e:
                errors.update(e.errors)
        choices = (item.priority, item.status, item.origin)
        if choices not in self._known_choices:
            wrong = choice_errors(
                (item.priority, "priority", Priority),
                (item.status, "status", Status),
                (item.origin, "origin", Origin),
            )
            errors.update(wrong)
            if not wrong:
                self._known_choices.add(choices)
        if not (item.comment or "").strip():
            errors["comment"] = _("A comment saying why the ticket is created is required.")
        errors.update(
            _text_errors(
                comment=item.comment, title=item.title, customer_comment=item.customer_comment
            )
        )
        try:
            check_texts(tags, "tags", TAG_LENGTH, MAX_TAGS)
        except FieldErrors as e:
            errors.update(e.errors)
        segment = owner = None
        if item.segment_id not in (None, ""):
            segment = self.segments.get(_int_or_none(item.segment_id))
            if segment is None:
                errors["segment"] = _("No such segment.")
        else:
            segment = self.segment_for(item)
        if "segment" not in errors:
            managers = self.managers[segment.pk] if segment else []
            handler = self.handlers.get(_int_or_none(item.handler_id))
            try:
                if item.owner_id in (None, "") and handler is not None:
                    owner = handler
                else:
                    owner = _owner_among(managers, item.owner_id)
            except FieldErrors as e:
                errors.update(e.errors)
        if errors:
            raise FieldErrors(errors)
        if segment is not None and SegmentSource.CONTACT in self.order:
            key = _customer_key(item)
            at = item.reported_at or timezone.now()
            known = self.customer_segments.get(key)
            if key[1] and (known is None or known[0] <= at):
                self.customer_segments[key] = (at, segment.pk)
        return CaseDraft(item=item, email=email, segment=segment, owner=owner)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def case_create(
    *,
    access: Access,
    customer_email: str,
    comment: str,
    priority: str = Priority.MEDIUM,
    status: str = Status.NEW,
    segment_id=None,
    owner_id=None,
    origin: str = Origin.MANUAL,
    title: str = "",
    customer_comment: str = "",
    tags: list[str] | None = None,
    reported_at: dt.datetime | None = None,
    customer_email_optional: bool = False,
    permission: str = Perm.INBOX_ACCESS,
    contact_id: int | None = None,
    queue_segment_id: int | None = None,
    survey_segment_id: int | None = None,
    handler_id: int | None = None,
    about_agent_id: int | None = None,
) -> Case:
    """customer_email_optional: a case opened by the system (e.g. from an anonymous survey
    response) may have no customer email and so no contact. `permission`: what entitles the
    caller to open it; the inbox's, unless the caller opens it for the customer they serve
    (the desk's "Add case": use_care). `contact_id`: the customer when the caller knows them
    (else the contact of the email). The segment and owner when none is named, and
    queue_segment_id, survey_segment_id and handler_id: see CaseDrafts."""
    access.require(permission)
    item = NewCase(
        customer_email=customer_email,
        comment=comment,
        priority=priority,
        status=status,
        segment_id=segment_id,
        owner_id=owner_id,
        origin=origin,
        title=title,
        customer_comment=customer_comment,
        reported_at=reported_at,
        customer_email_optional=customer_email_optional,
        contact_id=contact_id,
        queue_segment_id=queue_segment_id,
        survey_segment_id=survey_segment_id,
        handler_id=handler_id,
        about_agent_id=about_agent_id,
    )
    draft = CaseDrafts(access, [item]).check(item, tags=tags)
    if about_agent_id and draft.owner is not None:
        # A coaching case is owned only by someone who coaches (e.g. not the segment's only
        # manager when they do not): it stays hidden from the agent's colleagues.
        if Perm.EVALUATE not in workspace_permissions(draft.owner, access.workspace)[0]:
            draft.owner = None

    now = timezone.now()
    with transaction.atomic():
        contact = None
        if contact_id:
            contact = Contact.objects.filter(
                organization_id=access.workspace.organization_id, pk=contact_id
            ).first()
        if contact is None and draft.email:
            org = access.workspace.organization
            contact = contact_for_email(organization=org, email=draft.email)
        case = Case.objects.create(
            number=case_numbers_take(access.workspace),
            contact=contact,
            **draft.fields(access, now),
        )
        if tags:
            case.tags.set(_tags(access.workspace, tags))
        CaseComment.objects.create(case=case, author=access.user, body=comment.strip())
        audit_changes(
            workspace=access.workspace,
            obj=case,
            actor=access.user,
            action="created",
            changes=draft.changes(),
        )
        _emit(case, events.CaseCreated)
    return case


TAG_LENGTH = 60


def _text_errors(**values) -> dict[str, str]:
    """NUL characters and lengths of a case's texts, checked before anything is written."""
    lengths = {"title": 200, "resolution_note": 2000}
    return text_errors(*((v, k, lengths.get(k, MAX_BODY)) for k, v in values.items()))


def _tags(workspace: Workspace, names: list[str]) -> list[Tag]:
    clean = sorted({n.strip() for n in names if n and n.strip()})
    return [Tag.objects.get_or_create(workspace=workspace, name=n)[0] for n in clean]


def case_update(
    *,
    access: Access,
    case: Case,
    comment: str,
    priority=_UNSET,
    status=_UNSET,
    segment_id=_UNSET,
    owner_id=_UNSET,
    resolution_reason=_UNSET,
    resolution_note=_UNSET,
) -> Case:
    """Apply the update dialog. Only fields passed are changed; the comment is mandatory.
    Moving into resolved or closed needs a resolution reason (and a note for "other");
    reopening clears them."""
    access.require(Perm.INBOX_ACCESS)
    errors: dict[str, str] = {}
    if not (comment or "").strip():
        errors["comment"] = _("A comment is required with every update.")
    errors.update(
        _text_errors(
            comment=comment,
            resolution_note=None if resolution_note is _UNSET else resolution_note,
            resolution_reason=None if resolution_reason is _UNSET else resolution_reason,
        )
    )
    checks = [(priority, "priority", Priority), (status, "status", Status)]
    errors.update(choice_errors(*(check for check in checks if check[0] is not _UNSET)))
    reason, note = case.resolution_reason, case.resolution_note
    try:
        reason, note = _resolution(case, status, resolution_reason, resolution_note)
    except FieldErrors as e:
        errors.update(e.errors)
    segment, owner = case.segment, case.owner
    try:
        if segment_id is not _UNSET:
            segment = _segment(access, segment_id)
        if owner_id is not _UNSET and case.about_agent_id:
            # A coaching case belongs to a coach, wherever its segment: any member who
            # evaluates (checked below), not only the segment's managers.
            owner = _coach_owner(access, case, owner_id)
        elif owner_id is not _UNSET:
            owner = _owner_for(segment, owner_id)
        elif case.about_agent_id:
            pass  # a coaching case keeps its coach when it moves segment
        elif segment_id is not _UNSET and segment != case.segment:
            # New segment, owner not chosen: its only manager, or nobody.
            owner = _owner_for(segment, None)
    except FieldErrors as e:
        errors.update(e.errors)
    if errors:
        raise FieldErrors(errors)

    changes = []
    new_values = {
        "priority": case.priority if priority is _UNSET else priority,
        "status": case.status if status is _UNSET else status,
    }
    for field in ("priority", "status"):
        if getattr(case, field) != new_values[field]:
            changes.append((field, getattr(case, field), new_values[field]))
            setattr(case, field, new_values[field])
    if segment != case.segment:
        changes.append(("segment", _label(case.segment), _label(segment)))
        case.segment = segment
        case.segment_path = segment.path if segment else ""
    if case.about_agent_id and owner is not None and owner != case.owner:
        if Perm.EVALUATE not in workspace_permissions(owner, access.workspace)[0]:
            if owner_id is _UNSET:
                owner = None  # the new segment's only manager does not coach: nobody
            else:
                # A coaching case is about one agent's work: never given to their colleagues.
                raise FieldErrors.one(
                    "owner",
                    _("%(name)s does not coach; a coaching case is owned only by coaches.")
                    % {"name": owner},
                )
    if owner != case.owner:
        changes.append(("owner", _label(case.owner), _label(owner)))
        case.owner = owner
    for field, value in (("resolution_reason", reason), ("resolution_note", note)):
        if getattr(case, field) != value:
            changes.append((field, getattr(case, field), value))
            setattr(case, field, value)
    return _save_with_comment(access, case, comment, changes, action="updated")


def _coach_owner(access: Access, case: Case, owner_id) -> User | None:
    """The new owner of a coaching case: an active member of the organization (whether they
    coach is checked by case_update), not the agent it is about; None for none."""
    if owner_id in (None, ""):
        return None
    owner = User.objects.filter(
        organization_id=access.workspace.organization_id, pk=_int_or_none(owner_id), is_active=True
    ).first()
    if owner is None:
        raise FieldErrors.one("owner", _("No such colleague."))
    if owner.pk == case.about_agent_id:
        raise FieldErrors.one(
            "owner", _("A coaching case cannot be given to the agent it is about.")
        )
    return owner


def _resolution(case: Case, status, reason, note) -> tuple[str, str]:
    """The (reason, note) the case will have after an update, or FieldErrors."""
    new_status = case.status if status is _UNSET or status not in Status.values else status
    reason = case.resolution_reason if reason is _UNSET else (reason or "").strip()
    note = case.resolution_note if note is _UNSET else (note or "").strip()
    if new_status not in DONE_STATUSES:
        if case.status in DONE_STATUSES:
            return "", ""  # reopened: the old resolution no longer holds
        if reason or note:
            raise FieldErrors.one(
                "resolution_reason",
                _("A resolution reason is given only when the status becomes resolved or closed."),
            )
        return "", ""
    if not reason:
        if case.status in DONE_STATUSES:
            return "", note  # already done before reasons existed: other edits still allowed
        raise FieldErrors.one(
            "resolution_reason",
            f"A resolution reason is required to set the status to {new_status}; one of: "
            + ", ".join(ResolutionReason.values),
        )
    if reason not in ResolutionReason.values:
        raise FieldErrors(choice_errors((reason, "resolution_reason", ResolutionReason)))
    if reason == ResolutionReason.OTHER and not note:
        raise FieldErrors.one("resolution_note", _("Say what the resolution was (reason: other)."))
    if len(note) > 2000:
        raise FieldErrors.one("resolution_note", _("The note is longer than 2000 characters."))
    return reason, note


def case_assign_to_me(*, access: Access, case: Case) -> Case:
    """An unassigned ticket taken by a user who manages the care app."""
    access.require(Perm.MANAGE_CARE)
    if case.owner_id is not None:
        raise FieldErrors.one(
            "owner", _("This ticket is already owned by %(name)s.") % {"name": case.owner}
        )
    changes = [("owner", "", _label(access.user))]
    case.owner = access.user
    return _save_with_comment(
        access, case, f"Assigned to {access.user}.", changes, action="assigned"
    )


def case_comment_add(*, access: Access, case: Case, body: str) -> CaseComment:
    access.require(Perm.INBOX_ACCESS)
    if not (body or "").strip():
        raise FieldErrors.one("comment", _("The comment cannot be empty."))
    if errors := _text_errors(comment=body):
        raise FieldErrors(errors)
    with transaction.atomic():
        comment = CaseComment.objects.create(case=case, author=access.user, body=body.strip())
        case_touch(case.pk)
        _emit(case, events.CaseUpdated)
    return comment


def _save_with_comment(access: Access, case: Case, comment: str, changes, *, action: str) -> Case:
    now = timezone.now()
    if any(f == "status" for f, _, _ in changes):
        case.closed_at = now if case.status == Status.CLOSED else None
    case.last_activity_at = now
    with transaction.atomic():
        case.save()
        CaseComment.objects.create(case=case, author=access.user, body=comment.strip())
        audit_changes(
            workspace=access.workspace, obj=case, actor=access.user, action=action, changes=changes
        )
        _emit(case, events.CaseUpdated)
        if any(f == "status" for f, _, _ in changes) and case.status == Status.RESOLVED:
            # In the transaction: what its listeners store (the CSAT invitation and its
            # email) commits with the resolution, or not at all.
            events.emit(
                events.CaseResolved(
                    workspace=case.workspace_id,
                    case=case.pk,
                    actor=access.user.pk if access.user else None,
                ).about(case)
            )
    return case


def cases_close_inactive(*, now: dt.datetime | None = None) -> int:
    """The inactivity rule: close every open ticket whose record and activities were not
    updated for the workspace's auto_close_days. Returns how many were closed. The days are
    the workspace's (the worker has no request): last touched at 10:00 there, the ticket
    closes at 10:00 there N days later, also across a change of the clocks."""
    now = now or timezone.now()
    closed = 0
    for workspace in Workspace.objects.all():
        cutoff = zones.days_before(now, workspace.auto_close_days, zones.zone(workspace.time_zone))
        stale = (
            Case.objects.filter(workspace=workspace, last_activity_at__lt=cutoff)
            .exclude(status=Status.CLOSED)
            .order_by("pk")
        )
        # In pages, each read to its end before anything is written: on SQLite a cursor left
        # open (iterator()) keeps its read snapshot, and BEGIN IMMEDIATE on that connection
        # then fails at once with "database is locked", without the busy wait, as soon as
        # another process has committed since.
        last = 0
        while page := list(stale.filter(pk__gt=last)[:500]):
            last = page[-1].pk
            closed += sum(_close_inactive(workspace, case, cutoff, now) for case in page)
    return closed


def _close_inactive(workspace: Workspace, case: Case, cutoff: dt.datetime, now) -> bool:
    with transaction.atomic():
        # Re-check under the write: an update may have landed since the scan.
        n = (
            Case.objects.filter(pk=case.pk, last_activity_at__lt=cutoff)
            .exclude(status=Status.CLOSED)
            .update(status=Status.CLOSED, closed_at=now, updated_at=now)
        )
        if not n:
            return False
        CaseComment.objects.create(
            case=case,
            author=None,
            body=f"Closed automatically after {workspace.auto_close_days} days without activity.",
        )
        audit_changes(
            workspace=workspace,
            obj=case,
            actor=None,
            action="auto_closed",
            changes=[("status", case.status, Status.CLOSED)],
        )
        _emit(case, events.CaseUpdated)
    return True


# --------------------------------------------------------------------------- inbox triage


def case_share_add(*, access: Access, case: Case, user_id) -> CaseShare:
    """Share the case with a colleague who has inbox access: they see and work it too."""
    access.require(Perm.INBOX_ACCESS)
    user = None
    if str(user_id or "").strip().isdigit():
        user = User.objects.filter(
            organization_id=access.workspace.organization_id, pk=int(user_id), is_active=True
        ).first()
    if user is None:
        raise FieldErrors.one("user", _("No such colleague."))
    perms = workspace_permissions(user, access.workspace)[0]
    if Perm.INBOX_ACCESS not in perms:
        raise FieldErrors.one("user", f"{user} has no access to the tickets of this workspace.")
    if case.about_agent_id and user.pk != case.about_agent_id and Perm.EVALUATE not in perms:
        # A coaching case is about one agent's work: never shown to their colleagues.
        raise FieldErrors.one(
            "user",
            _("%(name)s does not coach; a coaching case is shared only with coaches.")
            % {"name": user},
        )
    if user.pk == case.owner_id:
        raise FieldErrors.one("user", f"{user} owns this ticket already.")
    if CaseShare.objects.filter(case=case, user=user).exists():
        raise FieldErrors.one(
            "user", _("This ticket is already shared with %(name)s.") % {"name": user}
        )
    with transaction.atomic():
        share = CaseShare.objects.create(case=case, user=user, shared_by=access.user)
        _touch_and_audit(access, case, "shared", [("shared with", "", _label(user))])
    return share


def case_share_remove(*, access: Access, case: Case, user_id) -> None:
    access.require(Perm.INBOX_ACCESS)
    share = (
        CaseShare.objects.filter(case=case, user_id=user_id).select_related("user").first()
        if str(user_id or "").isdigit()
        else None
    )
    if share is None:
        raise FieldErrors.one("user", _("This ticket is not shared with that user."))
    with transaction.atomic():
        share.delete()
        _touch_and_audit(access, case, "unshared", [("shared with", _label(share.user), "")])


def _parse_due(value) -> dt.date | None:
    raw = str(value or "").strip()
    if not raw:
        return None
    try:
        due = dt.date.fromisoformat(raw)
    except ValueError:
        raise FieldErrors.one("due_date", f"Not a date (YYYY-MM-DD): {raw!r}") from None
    if due < timezone.localdate():
        raise FieldErrors.one("due_date", _("The due date cannot be in the past."))
    return due


def case_todo_add(*, access: Access, case: Case, text: str, due_date=None) -> CaseTodo:
    access.require(Perm.INBOX_ACCESS)
    errors: dict[str, str] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Say what is to be done.")
    elif len(text) > 500:
        errors["text"] = _("A to-do is at most 500 characters.")
    else:
        errors.update(text_errors((text, "text", 500)))
    due = None
    try:
        due = _parse_due(due_date)
    except FieldErrors as e:
        errors.update(e.errors)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        todo = CaseTodo.objects.create(case=case, text=text, due_date=due, created_by=access.user)
        label = text + (f" (due {due.isoformat()})" if due else "")
        _touch_and_audit(access, case, "to-do added", [("to-do", "", label)])
    return todo


def case_todo_set_done(*, access: Access, case: Case, todo_id, done: bool) -> CaseTodo:
    access.require(Perm.INBOX_ACCESS)
    todo = (
        CaseTodo.objects.filter(case=case, pk=int(todo_id)).first()
        if str(todo_id or "").isdigit()
        else None
    )
    if todo is None:
        raise FieldErrors.one("todo", _("No such to-do on this ticket."))
    if todo.done == done:
        raise FieldErrors.one(
            "todo", _("This to-do is already done.") if done else _("This to-do is already open.")
        )
    with transaction.atomic():
        todo.done = done
        todo.done_by = access.user if done else None
        todo.done_at = timezone.now() if done else None
        todo.save(update_fields=["done", "done_by", "done_at"])
        action = "to-do done" if done else "to-do reopened"
        _touch_and_audit(access, case, action, [("to-do", todo.text, todo.text)])
    return todo


def case_reopen_on_customer_reply(*, case: Case, note: str = "Customer replied by email") -> bool:
    """A customer wrote back about a resolved or closed case: it opens again (system change,
    audited, with a comment). Returns whether it was reopened."""
    now = timezone.now()
    with transaction.atomic():
        n = Case.objects.filter(pk=case.pk, status__in=DONE_STATUSES).update(
            status=Status.OPEN,
            closed_at=None,
            resolution_reason="",
            resolution_note="",
            last_activity_at=now,
            updated_at=now,
        )
        if not n:
            return False
        changes = [("status", case.status, Status.OPEN)]
        if case.resolution_reason:
            changes.append(("resolution_reason", case.resolution_reason, ""))
        CaseComment.objects.create(case=case, author=None, body=note)
        audit_changes(
            workspace=case.workspace, obj=case, actor=None, action="reopened", changes=changes
        )
        case.status = Status.OPEN
        case.resolution_reason = case.resolution_note = ""
        case.closed_at = None
        _emit(case, events.CaseUpdated)
    return True


def case_touch(case_id) -> None:
    """Work happened on the case (an activity, a comment, a to-do, a share, an email…): its
    inactivity clock (the auto-close rule) restarts now, and updated_at with it. `case_id`:
    a case id, or a query of case ids (one UPDATE for all); None: no case, nothing to do."""
    if case_id is None:
        return
    now = timezone.now()
    cases = (
        Case.objects.filter(pk__in=case_id)
        if isinstance(case_id, QuerySet)
        else Case.objects.filter(pk=case_id)
    )
    cases.update(last_activity_at=now, updated_at=now)


def case_record_change(*, access: Access, case: Case, action: str, changes) -> None:
    """For other apps acting on a case (e.g. an email sent from it): audit the change, reset
    the inactivity clock and tell the listeners, inside the caller's transaction."""
    _touch_and_audit(access, case, action, changes)


def _touch_and_audit(access: Access, case: Case, action: str, changes) -> None:
    case_touch(case.pk)
    audit_changes(
        workspace=access.workspace, obj=case, actor=access.user, action=action, changes=changes
    )
    _emit(case, events.CaseUpdated)


def case_publish_update(case: Case) -> None:
    """Tell the workspace's listeners the case changed (emits case.updated)."""
    _emit(case, events.CaseUpdated)


def case_event(kind: type[events.CaseCreated | events.CaseUpdated], case: Case):
    """The case.created / case.updated event of a case as it is now."""
    return kind(
        workspace=case.workspace_id,
        number=case.number,
        status=case.status,
        audience=events.CaseAudience(
            case=case.pk,
            segment_path=case.segment_path,
            owner=case.owner_id,
            created_by=case.created_by_id,
            about_agent=case.about_agent_id,
        ),
    )


def _emit(case: Case, kind: type[events.CaseCreated | events.CaseUpdated]) -> None:
    events.emit(case_event(kind, case))
