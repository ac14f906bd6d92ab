"""Opening many tickets at once (e.g. the cases alert rules open for a batch of survey
responses): the same cases, first comments, audit entries and events as one case_create call
per ticket, in a handful of statements. The ticket numbers are taken with ONE counter UPDATE
for the whole batch, so the caller should call this last in its transaction: the counter row
stays locked until it commits."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from operator import attrgetter

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone

from caredesk import events
from caredesk.audit.models import AuditEntry
from caredesk.care.models import Case, CaseComment, Origin, Priority, Status
from caredesk.care.services import _label, case_event
from caredesk.core.errors import FieldErrors, choice_errors
from caredesk.customers.services import contacts_for_emails, normalize_email
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import Segment, User, Workspace
from caredesk.workspaces.permissions import Perm


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
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {Workspace._meta.db_table} SET next_case_number = next_case_number + %s "
            "WHERE id = %s RETURNING next_case_number",
            [count, workspace.pk],
        )
        return cur.fetchone()[0] - count


def cases_create_many(
    *, access: Access, items: list[NewCase], emit: bool = True
) -> list[Case | FieldErrors]:
    """One result per item, in order: the new case, or the FieldErrors case_create would have
    raised for it (nothing is written for that item). Must run inside a transaction.
    emit=False: the caller emits the case.created events of the cases it keeps
    (cases_created_emit)."""
    access.require(Perm.INBOX_ACCESS)
    workspace = access.workspace
    org_id = workspace.organization_id
    seg_ids = {i.segment_id for i in items if i.segment_id not in (None, "")}
    segments = {s.pk: s for s in Segment.objects.filter(organization_id=org_id, pk__in=seg_ids)}
    managers = _managers(list(segments))

    results: list = []
    known_choices: set[tuple] = set()  # (priority, status, origin) found valid already
    valid: list[tuple[int, NewCase, str, Segment | None, User | None]] = []
    for index, item in enumerate(items):
        errors: dict[str, str] = {}
        email = ""
        if not (item.customer_email_optional and not (item.customer_email or "").strip()):
            try:
                email = normalize_email(item.customer_email, "customer_email")
            except FieldErrors as e:
                errors.update(e.errors)
        if (item.priority, item.status, item.origin) not in known_choices:
            errors.update(
                choice_errors(
                    (item.priority, "priority", Priority),
                    (item.status, "status", Status),
                    (item.origin, "origin", Origin),
                )
            )
            if not errors:
                known_choices.add((item.priority, item.status, item.origin))
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
    # Contact id per email: the ones the items name, the others looked up (or created).
    contacts = {email: item.contact_id for _, item, email, _, _ in valid if item.contact_id}
    if wanted := {email for _, _, email, _, _ in valid if email and email not in contacts}:
        made = contacts_for_emails(organization=workspace.organization, emails=wanted)
        contacts.update((email, contact.pk) for email, contact in made.items())
    first = _take_numbers(workspace, len(valid))
    cases = [
        Case(
            workspace=workspace,
            number=first + n,
            title=item.title.strip(),
            contact_id=contacts.get(email) if email else None,
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
    comments = [item.comment.strip() for _, item, _, _, _ in valid]
    audits = [
        (name, (value or "")[:500])
        for _, item, _, segment, owner in valid
        for name, value in (
            ("status", item.status),
            ("priority", item.priority),
            ("segment", _label(segment)),
            ("owner", _label(owner)),
        )
    ]
    actor_id = access.user.pk if access.user else None
    kind = Case._meta.model_name
    if connection.vendor == "postgresql":
        _copy_models(cases)
        _copy(
            CaseComment,
            ("case_id", "author_id", "body", "created_at"),
            [(case.pk, actor_id, body, now) for case, body in zip(cases, comments, strict=True)],
        )
        _copy(
            AuditEntry,
            ("workspace_id", "object_type", "object_id", "actor_id", "created_at", "action")
            + ("field", "old_value", "new_value"),
            [
                (workspace.pk, kind, cases[n // 4].pk, actor_id, now, "created", f, "", v)
                for n, (f, v) in enumerate(audits)
            ],
        )
    else:
        Case.objects.bulk_create(cases)
        CaseComment.objects.bulk_create(
            CaseComment(case=case, author_id=actor_id, body=body)
            for case, body in zip(cases, comments, strict=True)
        )
        AuditEntry.objects.bulk_create(
            AuditEntry(
                workspace=workspace,
                object_type=kind,
                object_id=cases[n // 4].pk,
                actor_id=actor_id,
                action="created",
                field=f,
                old_value="",
                new_value=v,
            )
            for n, (f, v) in enumerate(audits)
        )
    for case, (index, *_rest) in zip(cases, valid, strict=True):
        results[index] = case
    if emit:
        cases_created_emit(cases)
    return results


def _copy(model, columns: tuple[str, ...], rows) -> None:
    """PostgreSQL: rows appended with one COPY (text format), for rows whose ids nobody
    needs; the same rows bulk_create would write, without model instances or thousands of
    parameters quoted client-side."""
    with connection.cursor() as cur:
        sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with cur.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.DateField,
    models.ForeignKey,
)


def _copy_models(objs: list) -> None:
    """PostgreSQL: bulk_create(objs) by COPY: the ids are taken from the table's sequence
    first and set on the instances; auto_now fields are filled by pre_save as bulk_create
    does; plain columns (text, numbers, dates, foreign keys) go as they are, any other field
    is prepared by get_db_prep_save."""
    if not objs:
        return
    meta = objs[0]._meta
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if f is not pk]
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT nextval(pg_get_serial_sequence('{meta.db_table}', '{pk.column}')) "
            "FROM generate_series(1, %s)",
            [len(objs)],
        )
        for obj, (new_id,) in zip(objs, cur.fetchall(), strict=True):
            obj.pk = new_id
    auto = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for obj in objs:
        for f in auto:
            f.pre_save(obj, True)
    if all(isinstance(f, _PLAIN_FIELDS) for f in fields):
        values = attrgetter(*(f.attname for f in fields))
        rows = [(obj.pk, *values(obj)) for obj in objs]
    else:
        conn = connections[DEFAULT_DB_ALIAS]  # not the proxy: it is read for every value
        rows = [
            (obj.pk, *(f.get_db_prep_save(getattr(obj, f.attname), conn) for f in fields))
            for obj in objs
        ]
    _copy(objs[0].__class__, (pk.column, *(f.column for f in fields)), rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def cases_created_emit(cases: list[Case]) -> None:
    """The "case.created" event of each case, as case_create emits it, in one `emit`: one
    after-commit callback and one trip into the event loop for the whole batch."""
    events.emit(*(case_event(events.CaseCreated, case) for case in cases))


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
