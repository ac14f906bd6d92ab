"""Running alert rules over stored responses, in batches, and carrying out their actions.

Per batch: the responses, the workspace's active rules and the segments they name are read
once; every rule is compiled once (caredesk.feedback.rules) and checked in Python. The first
match of a (rule, response) pair is claimed by inserting an AlertRuleHit with ON CONFLICT DO
NOTHING RETURNING, so only the evaluation that wrote the row acts on it: a response retried,
re-evaluated or run again through "run on past responses" never opens a second case, sends a
second email or calls the webhook twice. Hits, cases and notification rows are written in one
transaction; emails and webhook calls happen after it commits.

A response's own evaluation (all active rules) happens once: the transaction that carries
out its rules is the one that sets its evaluated_at (only where unset) and deletes its
PendingEvaluation row, so a crash rolls both back and leaves the response pending for the
worker's sweep (evaluate_pending), and a second evaluation finds nothing left to do."""

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from caredesk.care.bulk import NewCase, cases_create_many, cases_created_emit, cases_discard
from caredesk.care.models import Case, Origin, Priority, Status
from caredesk.care.services import case_create
from caredesk.core.errors import FieldErrors
from caredesk.core.i18n import supported
from caredesk.feedback import pg, webhook_target
from caredesk.feedback.models import (
    AlertNotification,
    AlertRule,
    AlertRuleCase,
    AlertRuleHit,
    PendingEvaluation,
    PendingWebhook,
    Response,
    Survey,
    WebhookDelivery,
)
from caredesk.feedback.rules import compile_rule, score_filter
from caredesk.feedback.verbatim import evidence, needs_analysis, verbatims_for
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import Segment, User

log = logging.getLogger(__name__)

WEBHOOK_ATTEMPTS = 5
WEBHOOK_FIRST_DELAY = 30  # seconds; doubles after every failed attempt
WEBHOOK_TIMEOUT = 10


def base_url() -> str:
    return (
        getattr(settings, "CAREDESK_BASE_URL", "")
        or os.environ.get("CAREDESK_BASE_URL", "")
        or "http://127.0.0.1:8000"
    ).rstrip("/")


@dataclass
class Outcome:
    evaluated: int = 0  # responses this call evaluated (marked evaluated_at)
    hits: int = 0
    cases: list[Case] = field(default_factory=list)
    notifications: int = 0
    webhooks: int = 0


# What a rule's criteria and actions read of a response, read as plain rows (no model
# instances): see _Row.
_ROW_FIELDS = (
    "id",
    "contact_id",
    "workspace_id",
    "survey_id",
    "score",
    "comment",
    "answers",
    "transaction",
    "segment_path",
    "segment_id",
    "customer_email",
    "responded_at",
    "external_id",
    "language",
)


class _Row:
    """A response as the rules and actions see it (the attributes of Response they use).
    The JSON columns may come as text: they are decoded when a rule first reads them (most
    responses fail a cheaper criterion first)."""

    __slots__ = (
        "pk",
        "contact_id",
        "workspace_id",
        "survey_id",
        "score",
        "comment",
        "_answers",
        "_transaction",
        "segment_path",
        "segment_id",
        "customer_email",
        "responded_at",
        "external_id",
        "language",
        "_nfc_comment",
        "_analysis",
    )

    def __init__(self, values):
        (
            self.pk,
            self.contact_id,
            self.workspace_id,
            self.survey_id,
            self.score,
            self.comment,
            self._answers,
            self._transaction,
            self.segment_path,
            self.segment_id,
            self.customer_email,
            self.responded_at,
            self.external_id,
            self.language,
        ) = values

    @property
    def answers(self) -> dict:
        if isinstance(self._answers, str):
            self._answers = json.loads(self._answers)
        return self._answers

    @property
    def transaction(self) -> dict:
        if isinstance(self._transaction, str):
            self._transaction = json.loads(self._transaction)
        return self._transaction


def _read(response_ids: list[int], *, pending: bool) -> list[_Row]:
    """The responses (only those not evaluated yet, if `pending`)."""
    if pg.enabled():
        rows = pg.responses_read(response_ids, _ROW_FIELDS, decode_json=False, pending=pending)
        return [_Row(values) for values in rows]
    qs = Response.objects.filter(pk__in=response_ids)
    if pending:
        qs = qs.filter(evaluated_at=None)
    return [_Row(values) for values in qs.values_list(*_ROW_FIELDS)]


def _claim(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Insert the hits; returns the pairs this call inserted (not those already there)."""
    if not pairs:
        return set()
    table = AlertRuleHit._meta.db_table
    now = timezone.now()
    if pg.enabled():
        return pg.pairs_insert(table, "matched_at", now, pairs)
    return _pairs_insert(table, "matched_at", [(r, s, now) for r, s in pairs])


def _pairs_insert(table: str, column: str, rows: list[tuple]) -> set[tuple[int, int]]:
    """INSERT (rule_id, response_id, `column`) rows, 500 a statement, skipping the pairs
    already there; returns the (rule_id, response_id) pairs this call inserted."""
    inserted = set()
    with connection.cursor() as cur:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cur.execute(
                f"INSERT INTO {table} (rule_id, response_id, {column}) VALUES {values} "
                "ON CONFLICT (rule_id, response_id) DO NOTHING RETURNING rule_id, response_id",
                [x for row in chunk for x in row],
            )
            inserted.update((r, s) for r, s in cur.fetchall())
    return inserted


def _take(response_ids: list[int]) -> set[int]:
    """Mark the responses evaluated where they were not yet, and drop their PendingEvaluation
    rows; returns the ids this call marked. Must run in the transaction that carries out their
    rules: a concurrent evaluation of the same responses waits here until that commits, then
    takes none of them, so two evaluations never both act on a response; a crash rolls the
    mark back with everything else."""
    now = timezone.now()
    if pg.enabled():
        return pg.responses_take(response_ids, now)
    taken = set()
    table = Response._meta.db_table
    with connection.cursor() as cur:
        for start in range(0, len(response_ids), 500):
            chunk = ",".join(str(int(pk)) for pk in response_ids[start : start + 500])
            cur.execute(
                f"UPDATE {table} SET evaluated_at = %s "
                f"WHERE id IN ({chunk}) AND evaluated_at IS NULL RETURNING id",
                [connection.ops.adapt_datetimefield_value(now)],
            )
            taken.update(pk for (pk,) in cur.fetchall())
    PendingEvaluation.objects.filter(response_id__in=response_ids).delete()
    return taken


# Responses per write transaction. On SQLite a transaction holds the database's one write
# lock, and every other writer (a page, the API, a chat socket) polls for it meanwhile: a
# batch of 1,000 detractors held it 5.5 s on a busy 2-core machine and, with the worker's
# two threads going back to back, kept an API request waiting 15.7 s of its 20 s busy
# timeout (and the app process's chat sockets, whose database work shares one thread,
# 9.8 s). 100 keep each hold at about a second or less.
TRANSACTION_RESPONSES = 100


def evaluate(response_ids: list[int], *, rule_ids: list[int] | None = None) -> Outcome:
    """Without `rule_ids`: the responses' evaluation, once per response. The active rules
    run over the ones not evaluated yet, which are marked evaluated in the transaction that
    carries out the rules' actions; responses evaluated already (by an earlier or a
    concurrent call) are left alone, so a task run twice, the sweep and a retried
    submission can all ask for it. With `rule_ids`: exactly those rules, active or not, over
    all the responses, evaluated or not (a run over past responses; it does not count as
    their evaluation)."""
    responses = _read(response_ids, pending=rule_ids is None)
    outcome = Outcome()
    if not responses:
        return outcome
    # In id order, so a batch numbers its tickets as evaluating one response at a time would.
    responses.sort(key=lambda r: r.pk)
    by_workspace: dict[int, list[_Row]] = defaultdict(list)
    for r in responses:
        by_workspace[r.workspace_id].append(r)
    for workspace_id, items in by_workspace.items():
        for start in range(0, len(items), TRANSACTION_RESPONSES):
            chunk = items[start : start + TRANSACTION_RESPONSES]
            _evaluate_workspace(workspace_id, chunk, rule_ids, outcome)
    return outcome


SWEEP_BATCH = 1000
# Per sweep: the rest waits for the next one, so a backlog the queue is still working through
# (a large import) is not all swept in one long task, nor by two sweeps at once.
SWEEP_BATCHES = 20


def evaluate_pending(*, stored_before: dt.datetime, batches: int = SWEEP_BATCHES) -> int:
    """Evaluate the pending responses (PendingEvaluation) stored before `stored_before`,
    oldest first, in batches; returns how many this call evaluated. A batch that fails is
    tried again one response at a time, so one bad response holds up only itself."""
    evaluated, last = 0, 0
    for _ in range(batches):
        ids = list(
            PendingEvaluation.objects.filter(
                response_id__gt=last, response__created_at__lt=stored_before
            )
            .order_by("response_id")
            .values_list("response_id", flat=True)[:SWEEP_BATCH]
        )
        if not ids:
            break
        last = ids[-1]
        try:
            evaluated += evaluate(ids).evaluated
        except Exception:
            log.exception("evaluating pending responses %s–%s failed", ids[0], ids[-1])
            for pk in ids:
                try:
                    evaluated += evaluate([pk]).evaluated
                except Exception:
                    log.exception("evaluating pending response %s failed", pk)
    return evaluated


@dataclass
class _Notice:
    """One notification email to send (an AlertNotification row)."""

    rule: AlertRule
    response: _Row
    user_id: int
    email: str


def _evaluate_workspace(workspace_id, responses, rule_ids, outcome: Outcome) -> None:
    rules_qs = AlertRule.objects.filter(workspace_id=workspace_id).select_related(
        "workspace__organization"
    )
    rules_qs = (
        rules_qs.filter(pk__in=rule_ids)
        if rule_ids is not None
        else rules_qs.filter(is_active=True)
    )
    rule_list = list(rules_qs.order_by("id"))
    surveys = Survey.objects.filter(pk__in={r.survey_id for r in responses})
    survey_rows = list(surveys.values_list("id", "kind", "name", "segment_id"))
    kinds = {pk: kind for pk, kind, *_ in survey_rows}
    seg_ids = {int(r.criteria["segment"]) for r in rule_list if "segment" in (r.criteria or {})}
    paths = dict(Segment.objects.filter(pk__in=seg_ids).values_list("id", "path"))
    # Responses by (survey kind, score): a rule with NPS/CSAT criteria is only offered the
    # responses whose score it accepts (rules.score_filter).
    by_score: dict[tuple[str, int | None], list[tuple[_Row, str]]] = defaultdict(list)
    for r in responses:
        kind = kinds[r.survey_id]
        by_score[(kind, r.score)].append((r, kind))
    everyone = [(r, kinds[r.survey_id]) for r in responses]
    # The verbatims are analysed only for rules on sentiment or topics, once per response.
    verbatims = (
        verbatims_for(workspace_id)
        if any(needs_analysis(rule.criteria) for rule in rule_list)
        else None
    )
    matched = []
    for rule in rule_list:
        matches = compile_rule(rule, segment_paths=paths, verbatims=verbatims)
        allowed = score_filter(rule)
        candidates = (
            everyone
            if allowed is None
            else [pair for key in allowed & by_score.keys() for pair in by_score[key]]
        )
        rule_id = rule.pk
        matched.extend((rule_id, r.pk) for r, kind in candidates if matches(r, kind))
    # In the order of evaluating one response at a time, every rule in id order.
    matched.sort(key=lambda pair: (pair[1], pair[0]))
    first = rule_ids is None
    if not matched:
        if first:
            with transaction.atomic():
                outcome.evaluated += len(_take([r.pk for r in responses]))
        return
    rules_by_id = {rule.pk: rule for rule in rule_list}
    resp_by_id = {r.pk: r for r in responses}
    batch = _Batch(
        survey_names={pk: name for pk, _, name, _ in survey_rows},
        survey_segments={pk: segment for pk, _, _, segment in survey_rows},
        topic_names=verbatims.names if verbatims is not None else {},
    )
    batch.notified = {
        user_id
        for rule_id, _ in matched
        for user_id in ((rules_by_id[rule_id].actions or {}).get("notify") or {}).get("users", [])
    }
    case_pairs = [p for p in matched if "create_case" in (rules_by_id[p[0]].actions or {})]

    after_commit: list = []
    with transaction.atomic():
        if first:
            taken = _take([r.pk for r in responses])
            outcome.evaluated += len(taken)
            matched = [pair for pair in matched if pair[1] in taken]
            case_pairs = [pair for pair in case_pairs if pair[1] in taken]
        # The claim blocks on the rows of a concurrent evaluation of the same responses until
        # it commits, so the AlertRuleCase rows read after it include that evaluation's.
        claimed = _claim(matched)
        outcome.hits += len(claimed)
        notices: list[_Notice] = []
        owed: list[PendingWebhook] = []
        now = timezone.now()
        for rule_id, resp_id in sorted(claimed):
            rule, response = rules_by_id[rule_id], resp_by_id[resp_id]
            actions = rule.actions or {}
            for user_id in (actions.get("notify") or {}).get("users", []):
                if email := batch.emails().get(user_id):
                    notices.append(_Notice(rule, response, user_id, email))
            if (actions.get("webhook") or {}).get("url"):
                outcome.webhooks += 1
                owed.append(PendingWebhook(rule=rule, response_id=response.pk, due_at=now))
                after_commit.append(_webhook_call(rule.pk, response.pk))
        PendingWebhook.objects.bulk_create(owed)
        _notifications_insert(notices)
        outcome.notifications += len(notices)
        # Cases last: taking their numbers locks the workspace's counter row until commit.
        # One per (rule, response) by the AlertRuleCase constraint, so a retried batch creates
        # only the ones still missing.
        cases = _open_cases(case_pairs, rules_by_id, resp_by_id, batch, outcome)
        if notices:
            transaction.on_commit(lambda: _send_notifications(notices, cases, batch))
        for fn in after_commit:
            transaction.on_commit(fn)


def _notifications_insert(notices: list[_Notice]) -> None:
    if not notices:
        return
    now = timezone.now()
    if pg.enabled():
        pg.copy_rows(
            AlertNotification._meta.db_table,
            ("rule_id", "response_id", "user_id", "email", "sent_at"),
            ("int8", "int8", "int8", "text", "timestamptz"),
            [(n.rule.pk, n.response.pk, n.user_id, n.email, now) for n in notices],
        )
        return
    AlertNotification.objects.bulk_create(
        AlertNotification(
            rule_id=n.rule.pk, response_id=n.response.pk, user_id=n.user_id, email=n.email
        )
        for n in notices
    )


def _webhook_call(rule_id: int, response_id: int):
    def call():
        from caredesk.feedback.tasks import deliver_webhook

        deliver_webhook(rule_id, response_id, 1)

    return call


@dataclass
class _Batch:
    """What the actions of one batch read more than once."""

    survey_names: dict[int, str]
    survey_segments: dict[int, int | None] = field(default_factory=dict)
    managers: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    _emails: dict[int, str] | None = None
    notified: set[int] = field(default_factory=set)  # the users the rules that matched notify
    topic_names: dict[int, str] = field(default_factory=dict)

    def segment_managers(self, segment_id) -> list[tuple[int, str]]:
        if not segment_id:
            return []
        if segment_id not in self.managers:
            self.managers[segment_id] = [
                (pk, _person(username, first, last))
                for pk, username, first, last in User.objects.filter(
                    managed_segments__id=segment_id, is_active=True
                )
                .order_by("username", "id")
                .values_list("pk", "username", "first_name", "last_name")
            ]
        return self.managers[segment_id]

    def prefetch_managers(self, segment_ids) -> None:
        """segment_managers for many segments in one query."""
        wanted = {s for s in segment_ids if s and s not in self.managers}
        if not wanted:
            return
        found: dict[int, list[tuple[int, str]]] = {s: [] for s in wanted}
        rows = (
            Segment.managers.through.objects.filter(segment_id__in=wanted, user__is_active=True)
            .order_by("user__username", "user_id")
            .values_list(
                "segment_id", "user_id", "user__username", "user__first_name", "user__last_name"
            )
        )
        for segment_id, user_id, username, first, last in rows:
            found[segment_id].append((user_id, _person(username, first, last)))
        self.managers.update(found)

    def emails(self) -> dict[int, str]:
        """The email of each active user the batch's rules notify (with an email), by id."""
        if self._emails is None:
            users = User.objects.filter(pk__in=self.notified, is_active=True).exclude(email="")
            self._emails = dict(users.values_list("pk", "email"))
        return self._emails


def _open_cases(pairs, rules_by_id, resp_by_id, batch: _Batch, outcome: Outcome) -> dict:
    """Open the cases still missing for these (rule, response) pairs; returns
    {(rule id, response id): case} for the ones opened now."""
    if not pairs:
        return {}
    done = set(
        AlertRuleCase.objects.filter(
            rule_id__in={r for r, _ in pairs}, response_id__in={s for _, s in pairs}
        ).values_list("rule_id", "response_id")
    )
    todo = [pair for pair in pairs if pair not in done]
    if len(todo) > 1:
        return _open_cases_bulk(todo, rules_by_id, resp_by_id, batch, outcome)
    opened = {}
    for rule_id, resp_id in todo:
        case = _open_case(rules_by_id[rule_id], resp_by_id[resp_id], batch)
        if case is not None:
            opened[(rule_id, resp_id)] = case
            outcome.cases.append(case)
    return opened


def _open_cases_bulk(todo, rules_by_id, resp_by_id, batch: _Batch, outcome: Outcome) -> dict:
    """What _open_case does for each pair, in a few statements (caredesk.care.bulk): the same
    cases, comments and audit entries, consecutive numbers in the pairs' order."""
    batch.prefetch_managers({resp_by_id[resp_id].segment_id for _, resp_id in todo})
    items = []
    for rule_id, resp_id in todo:
        rule, response = rules_by_id[rule_id], resp_by_id[resp_id]
        items.append(_new_case(rule, response, batch))
    access = Access.system(rules_by_id[todo[0][0]].workspace)
    results = cases_create_many(access=access, items=items, emit=False)
    made: dict[tuple[int, int], Case] = {}
    for pair, result in zip(todo, results, strict=True):
        if isinstance(result, FieldErrors):
            log.warning("rule %s could not open a case for response %s: %s", *pair, result)
        else:
            made[pair] = result
    linked = _link(made)
    # A pair another evaluation linked meanwhile keeps that case; ours goes.
    cases_discard([case for pair, case in made.items() if pair not in linked])
    opened = {pair: case for pair, case in made.items() if pair in linked}
    cases_created_emit(list(opened.values()))
    outcome.cases.extend(opened.values())
    return opened


def _link(made: dict) -> set[tuple[int, int]]:
    """Insert the AlertRuleCase rows; returns the pairs this call inserted."""
    rows = [(rule_id, resp_id, case.pk) for (rule_id, resp_id), case in made.items()]
    return _pairs_insert(AlertRuleCase._meta.db_table, "case_id", rows)


def _new_case(rule: AlertRule, response: Response, batch: _Batch) -> NewCase:
    """The case_create arguments _open_case uses."""
    spec = rule.actions["create_case"]
    segment = spec.get("segment", "response")
    segment_id = response.segment_id if segment == "response" else segment
    owner_id, note = _assignment(rule, segment_id, batch)
    survey_name = batch.survey_names[response.survey_id]
    found = evidence(rule.criteria, getattr(response, "_analysis", None), batch.topic_names)
    found = f" {found}" if found else ""
    return NewCase(
        customer_email=response.customer_email,
        customer_email_optional=True,
        comment=(
            f"Opened by the alert rule “{rule.name}” from survey response "
            f"{response.pk} ({survey_name}, {_score_label(response)}).{note}{found}"
        ),
        priority=spec.get("priority", Priority.HIGH),
        status=spec.get("status", Status.NEW),
        segment_id=segment_id,
        owner_id=owner_id,
        origin=Origin.SURVEY_RESPONSE,
        title=f"{survey_name}: {_score_label(response)}",
        customer_comment=response.comment,
        reported_at=response.responded_at,
        contact_id=response.contact_id,
        # A response without a segment: the ticket takes the workspace's first source.
        survey_segment_id=batch.survey_segments.get(response.survey_id),
    )


def _person(username: str, first: str, last: str) -> str:
    """A person's name as the UI shows it (User.__str__), from its columns."""
    return f"{first} {last}".strip() or username


def _score_label(response: Response) -> str:
    return "no score" if response.score is None else f"score {response.score}"


def _score_words(response: Response) -> str:
    """_score_label in the active language (a notification's reader's)."""
    if response.score is None:
        return gettext("no score")
    return gettext("score %(score)s") % {"score": response.score}


def _assignment(rule: AlertRule, segment_id, batch: _Batch) -> tuple[int | None, str]:
    """(owner id, a sentence for the case comment) for the rule's assign action."""
    spec = (rule.actions or {}).get("assign") or {}
    to = spec.get("to")
    if to not in ("segment_manager", "user", "queue"):
        return None, ""
    managers = batch.segment_managers(segment_id)
    if to == "segment_manager":
        if managers:
            return managers[0][0], f" Assigned to the segment's manager {managers[0][1]}."
        return None, " The segment has no manager to assign it to."
    if to == "user":
        user_id = spec.get("user")
        if any(pk == user_id for pk, _ in managers):
            return user_id, ""
        user = User.objects.filter(pk=user_id).first()
        name = str(user) if user else ""
        return None, f" Not assigned to {name or 'the chosen user'}: not a manager of the segment."
    if to == "queue":
        # Case has no queue field yet: the queue is named in the comment for whoever triages.
        return None, f" Queue: {spec.get('queue')}."
    return None, ""


def _open_case(rule: AlertRule, response: Response, batch: _Batch) -> Case | None:
    new = _new_case(rule, response, batch)
    try:
        with transaction.atomic():
            case = case_create(access=Access.system(rule.workspace), **vars(new))
            AlertRuleCase.objects.create(rule=rule, response_id=response.pk, case=case)
    except IntegrityError:
        return None  # another evaluation of the same response opened it first
    except FieldErrors as e:
        # E.g. the rule's fixed segment was deleted: the hit is recorded, no case.
        log.warning("rule %s could not open a case for response %s: %s", rule.pk, response.pk, e)
        return None
    return case


def _send_notifications(rows: list[_Notice], cases: dict, batch: _Batch) -> None:
    """One email per notification row, sent over one connection after the batch committed;
    each in its reader's language (their own, else their workspace's)."""
    messages = []
    links: dict[str, tuple[str, str]] = {}  # the response page's address around its id
    languages = dict(
        User.objects.filter(pk__in={row.user_id for row in rows}).values_list("pk", "language")
    )
    for row in rows:
        rule, response = row.rule, row.response
        case = cases.get((rule.pk, response.pk))
        slug = rule.workspace.slug
        if slug not in links:
            marker = "987654321"
            address = base_url() + reverse("feedback_response", args=[slug, int(marker)])
            links[slug] = tuple(address.rsplit(marker, 1))
        link = f"{links[slug][0]}{response.pk}{links[slug][1]}"
        language = (
            supported(languages.get(row.user_id)) or supported(rule.workspace.language) or "en"
        )
        with translation.override(language):
            lines = [
                gettext("The alert rule “%(rule)s” matched a response to %(survey)s.")
                % {"rule": rule.name, "survey": batch.survey_names[response.survey_id]},
                "",
                gettext("Score: %(score)s")
                % {"score": "—" if response.score is None else response.score},
                gettext("Customer comment: %(comment)s") % {"comment": response.comment or "—"},
                gettext("Customer: %(email)s") % {"email": response.customer_email or "—"},
            ]
            if case is not None:
                lines.append(gettext("Ticket: #%(number)s") % {"number": case.number})
            lines += ["", link]
            subject = f"[caredesk] {rule.name}: {_score_words(response)}"
        messages.append(EmailMessage(subject=subject, body="\n".join(lines), to=[row.email]))
    get_connection().send_messages(messages)


# --------------------------------------------------------------------------- webhooks


def webhook_body(rule: AlertRule, response: Response) -> bytes:
    case_numbers = list(
        AlertRuleCase.objects.filter(rule=rule, response=response).values_list(
            "case__number", flat=True
        )
    )
    payload = {
        "event": "alert_rule.matched",
        "rule": {"id": rule.pk, "name": rule.name},
        "response": {
            "id": response.pk,
            "survey": response.survey_id,
            "external_id": response.external_id,
            "score": response.score,
            "comment": response.comment,
            "answers": response.answers,
            "customer_email": response.customer_email,
            "segment": response.segment_id,
            "transaction": response.transaction,
            "responded_at": response.responded_at.isoformat(),
        },
        "case": case_numbers[0] if case_numbers else None,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_attempt(rule_id: int, response_id: int, attempt: int) -> WebhookDelivery | None:
    """POST once; record the attempt; returns it (next_at set when another one is due)."""
    rule = AlertRule.objects.filter(pk=rule_id).first()
    response = Response.objects.filter(pk=response_id).first()
    if rule is None or response is None:
        return None
    if WebhookDelivery.objects.filter(rule=rule, response=response, attempt=attempt).exists():
        return None  # this attempt already ran (a duplicated task)
    if not _webhook_claim(rule_id, response_id, attempt):
        return None  # another sender is making it
    url = (rule.actions.get("webhook") or {}).get("url", "")
    body = webhook_body(rule, response)
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "caredesk-webhook/1",
            "X-Caredesk-Signature": sign(rule.webhook_secret, body),
            "X-Caredesk-Delivery": f"{rule.pk}-{response.pk}-{attempt}",
        },
    )
    status, error, refused = None, "", False
    try:
        with webhook_target.urlopen(request, timeout=WEBHOOK_TIMEOUT) as reply:
            status = reply.status
    except urllib.error.HTTPError as e:
        status, error = e.code, f"HTTP {e.code}"
    except webhook_target.Refused as e:
        # An internal target (or a name now resolving to one): recorded, never retried.
        error, refused = str(e), True
    except (urllib.error.URLError, OSError, ValueError) as e:
        error = str(getattr(e, "reason", e))[:500]
    ok = status is not None and 200 <= status < 300
    delay = retry_delay(attempt)
    again = not ok and not refused and attempt < WEBHOOK_ATTEMPTS
    next_at = timezone.now() + dt.timedelta(seconds=delay) if again else None
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                rule=rule,
                response=response,
                url=url,
                attempt=attempt,
                status_code=status,
                error=error,
                succeeded=ok,
                next_at=next_at,
            )
            owed = PendingWebhook.objects.filter(rule_id=rule_id, response_id=response_id)
            if again:
                owed.update(attempt=attempt + 1, due_at=next_at, claimed_until=None)
            else:
                owed.delete()
            return delivery
    except IntegrityError:
        return None


WEBHOOK_CLAIM = dt.timedelta(seconds=WEBHOOK_TIMEOUT * 6)


def _webhook_claim(rule_id: int, response_id: int, attempt: int) -> bool:
    """Take the attempt for this sender (one short write, no transaction open during the
    POST). False when another sender holds it, or it is not the attempt the row owes. A
    call with no row at all was queued before rows were written for calls: it goes ahead."""
    now = timezone.now()
    owed = PendingWebhook.objects.filter(rule_id=rule_id, response_id=response_id)
    taken = (
        owed.filter(attempt=attempt)
        .filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
        .update(claimed_until=now + WEBHOOK_CLAIM)
    )
    return bool(taken) or not owed.exists()


def webhooks_due(*, due_before: dt.datetime, limit: int = 100) -> list[tuple[int, int, int]]:
    """(rule id, response id, attempt) of the webhook calls owed since before `due_before`
    that no sender holds: their task was lost, or its sender died."""
    now = timezone.now()
    return list(
        PendingWebhook.objects.filter(due_at__lt=due_before)
        .filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
        .order_by("due_at", "pk")
        .values_list("rule_id", "response_id", "attempt")[:limit]
    )


def retry_delay(attempt: int) -> int:
    return WEBHOOK_FIRST_DELAY * 2 ** (attempt - 1)
