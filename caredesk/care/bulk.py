"""Opening many tickets at once (e.g. the cases alert rules open for a batch of survey
responses): the same cases, first comments, audit entries and events as one case_create call
per ticket, in a handful of statements. The ticket numbers are taken with ONE counter UPDATE
for the whole batch, so the caller should call this last in its transaction: the counter row
stays locked until it commits."""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from caredesk.audit.models import AuditEntry
from caredesk.care.models import Case, CaseComment, Origin, Priority, Status
from caredesk.care.services import _label
from caredesk.core.errors import FieldErrors, choice_errors
from caredesk.customers.services import contacts_for_emails, normalize_email
from caredesk.realtime.events import workspace_group
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import Segment, User, Workspace
from caredesk.workspaces.permissions import Perm

log = logging.getLogger(__name__)


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


def _managers(segment_ids) -> dict[int, list[User]]:
    """Active managers per segment, in one query (case_create reads them per segment)."""
    through = Segment.managers.through
    out: dict[int, list[User]] = defaultdict(list)
    rows = through.objects.filter(segment_id__in=segment_ids, user__is_active=True)
    for row in rows.select_related("user").order_by("user_id"):
        out[row.segment_id].append(row.user)
    return out


def _take_numbers(workspace: Workspace, count: int) -> int:
    """Reserve `count` consecutive ticket numbers; returns the first."""
    Workspace.objects.filter(pk=workspace.pk).update(next_case_number=F("next_case_number") + count)
    return Workspace.objects.values_list("next_case_number", flat=True).get(pk=workspace.pk) - count


def cases_create_many(
    *, access: Access, items: list[NewCase], publish: bool = True
) -> list[Case | FieldErrors]:
    """One result per item, in order: the new case, or the FieldErrors case_create would have
    raised for it (nothing is written for that item). Must run inside a transaction.
    publish=False: the caller publishes the cases it keeps with cases_publish_created."""
    access.require(Perm.INBOX_ACCESS)
    workspace = access.workspace
    org_id = workspace.organization_id
    seg_ids = {i.segment_id for i in items if i.segment_id not in (None, "")}
    segments = {s.pk: s for s in Segment.objects.filter(organization_id=org_id, pk__in=seg_ids)}
    managers = _managers(list(segments))

    results: list = []
    valid: list[tuple[int, NewCase, str, Segment | None, User | None]] = []
    for index, item in enumerate(items):
        errors: dict[str, str] = {}
        email = ""
        if not (item.customer_email_optional and not (item.customer_email or "").strip()):
            try:
                email = normalize_email(item.customer_email, "customer_email")
            except FieldErrors as e:
                errors.update(e.errors)
        errors.update(
            choice_errors(
                (item.priority, "priority", Priority),
                (item.status, "status", Status),
                (item.origin, "origin", Origin),
            )
        )
        if not (item.comment or "").strip():
            errors["comment"] = "A comment saying why the ticket is created is required."
        segment = owner = None
        if item.segment_id not in (None, ""):
            segment = segments.get(_int_or_none(item.segment_id))
            if segment is None:
                errors["segment"] = "No such segment."
        if "segment" not in errors:
            seg_managers = managers.get(segment.pk, []) if segment else []
            if item.owner_id in (None, ""):
                owner = seg_managers[0] if len(seg_managers) == 1 else None
            else:
                owner = next((m for m in seg_managers if str(m.pk) == str(item.owner_id)), None)
                if owner is None:
                    errors["owner"] = "The owner must be a manager of the selected segment."
        results.append(FieldErrors(errors) if errors else None)
        if not errors:
            valid.append((index, item, email, segment, owner))
    if not valid:
        return results

    now = timezone.now()
    contacts = contacts_for_emails(
        organization=workspace.organization, emails={email for _, _, email, _, _ in valid}
    )
    first = _take_numbers(workspace, len(valid))
    cases = [
        Case(
            workspace=workspace,
            number=first + n,
            title=item.title.strip(),
            contact=contacts.get(email) if email else None,
            customer_email=email,
            source_segment=segment,
            segment=segment,
            segment_path=segment.path if segment else "",
            owner=owner,
            priority=item.priority,
            status=item.status,
            origin=item.origin,
            reported_at=item.reported_at or now,
            customer_comment=item.customer_comment or "",
            created_by=access.user,
            last_activity_at=now,
            closed_at=now if item.status == Status.CLOSED else None,
        )
        for n, (_, item, email, segment, owner) in enumerate(valid)
    ]
    Case.objects.bulk_create(cases)
    CaseComment.objects.bulk_create(
        CaseComment(case=case, author=access.user, body=item.comment.strip())
        for case, (_, item, _, _, _) in zip(cases, valid, strict=True)
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(
            workspace=workspace,
            object_type=Case._meta.model_name,
            object_id=case.pk,
            actor=access.user,
            action="created",
            field=name,
            old_value="",
            new_value=(value or "")[:500],
        )
        for case, (_, item, _, segment, owner) in zip(cases, valid, strict=True)
        for name, value in (
            ("status", item.status),
            ("priority", item.priority),
            ("segment", _label(segment)),
            ("owner", _label(owner)),
        )
    )
    for case, (index, *_rest) in zip(cases, valid, strict=True):
        results[index] = case
    if publish:
        cases_publish_created(cases)
    return results


def cases_publish_created(cases: list[Case]) -> None:
    """The "case.created" event of each case, after commit, as case_create sends it; all of
    them from one callback and one trip into the event loop rather than one per case."""
    events = [
        (case.workspace_id, {"type": "case.created", "number": case.number, "status": case.status})
        for case in cases
    ]
    if events:
        transaction.on_commit(lambda: _publish_all(events))


def _publish_all(events: list[tuple[int, dict]]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return

    async def send():
        for workspace_id, payload in events:
            await layer.group_send(
                workspace_group(workspace_id), {"type": "workspace.event", "event": payload}
            )

    try:
        async_to_sync(send)()
    except Exception:  # as publish_workspace_event: the cases are committed whatever happens
        log.exception("could not publish workspace events")


def cases_discard(cases: list[Case]) -> None:
    """Delete cases cases_create_many made in this transaction after all (e.g. another
    evaluation linked the same response first), with their comments and audit entries."""
    if not cases:
        return
    ids = [c.pk for c in cases]
    AuditEntry.objects.filter(object_type=Case._meta.model_name, object_id__in=ids).delete()
    Case.objects.filter(pk__in=ids).delete()


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
