"""Opening many tickets at once (e.g. the cases alert rules open for a batch of survey
responses): the same cases, first comments, audit entries and events as one case_create call
per ticket, in a handful of statements. The checks and the fields are case_create's
(care.services.CaseDrafts); the ticket numbers are taken with ONE counter UPDATE for the
whole batch, so the caller should call this last in its transaction: the counter row
stays locked until it commits."""

from operator import attrgetter

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone

from caredesk import events
from caredesk.audit.models import AuditEntry
from caredesk.care.models import Case, CaseComment
from caredesk.care.services import CaseDraft, CaseDrafts, NewCase, case_event, case_numbers_take
from caredesk.core.errors import FieldErrors
from caredesk.customers.services import contacts_for_emails
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm


def cases_create_many(
    *, access: Access, items: list[NewCase], emit: bool = True
) -> list[Case | FieldErrors]:
    """One result per item, in order: the new case, or the FieldErrors case_create would have
    raised for it (nothing is written for that item). Must run inside a transaction.
    emit=False: the caller emits the case.created events of the cases it keeps
    (cases_created_emit)."""
    access.require(Perm.INBOX_ACCESS)
    workspace = access.workspace
    drafts = CaseDrafts(access, items)
    results: list = []
    valid: list[tuple[int, CaseDraft]] = []
    for index, item in enumerate(items):
        try:
            draft = drafts.check(item)
        except FieldErrors as e:
            results.append(e)
        else:
            results.append(None)
            valid.append((index, draft))
    if not valid:
        return results

    now = timezone.now()
    # Contact id per email: the ones the items name, the others looked up (or created).
    contacts = {d.email: d.item.contact_id for _, d in valid if d.item.contact_id}
    if wanted := {d.email for _, d in valid if d.email and d.email not in contacts}:
        made = contacts_for_emails(organization=workspace.organization, emails=wanted)
        contacts.update((email, contact.pk) for email, contact in made.items())
    first = case_numbers_take(workspace, len(valid))
    cases = [
        Case(
            number=first + n,
            contact_id=contacts.get(d.email) if d.email else None,
            **d.fields(access, now),
        )
        for n, (_, d) in enumerate(valid)
    ]
    comments = [d.item.comment.strip() for _, d in valid]
    audits = [
        (case, field, (new or "")[:500])
        for case, (_, d) in zip(cases, valid, strict=True)
        for field, _old, new in d.changes()
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
                (workspace.pk, kind, case.pk, actor_id, now, "created", f, "", v)
                for case, f, v in audits
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
                object_id=case.pk,
                actor_id=actor_id,
                action="created",
                field=f,
                old_value="",
                new_value=v,
            )
            for case, f, v in audits
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
