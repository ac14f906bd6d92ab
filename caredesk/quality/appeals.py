"""Appeals: the evaluated agent disputes some answers of an evaluation within the workspace's
window (Workspace.appeal_days, from the evaluation's creation), proposing an answer per
disputed criterion; a reviewer accepts the appeal whole or in part, or rejects it, with a
comment. Accepted items change the answers and the score through
`services.evaluation_rescore_answers` (action "appeal_accepted"): the evaluation's log keeps
the original answers and who changed them; a rejection changes nothing on the evaluation.

Who reviews (stored on Appeal.reviewer when the appeal is filed):
1. the workspace's named arbitrator (Workspace.appeal_arbitrator), while active and holding
   review_appeals;
2. else a manager of the evaluator's default segment, the nearest one up the tree;
3. else a manager of the agent's area (the evaluation's segment), the nearest one up;
never the agent, nor the evaluator; candidates in 2 and 3 must hold review_appeals. With
none of these the appeal has no named reviewer.

Who decides: the named reviewer, or anyone holding review_appeals who may see the
evaluation — never the agent, and never the evaluator of that evaluation unless they are the
workspace's named arbitrator (then they are the one the workspace chose to decide)."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from caredesk.audit.services import audit_changes
from caredesk.core.errors import FieldErrors
from caredesk.core.limits import MAX_BODY, text_error
from caredesk.core.templatetags.fmt import day as format_day
from caredesk.quality import scoring
from caredesk.quality.models import (
    Appeal,
    AppealItem,
    AppealStatus,
    Evaluation,
    EvaluationChange,
    EvaluationKind,
    evaluation_visibility_q,
)
from caredesk.quality.people import agent_segment, int_or_none
from caredesk.quality.services import evaluation_rescore_answers, given_of, parse_answers
from caredesk.workspaces.access import Access, members_holding
from caredesk.workspaces.models import Segment, User, Workspace
from caredesk.workspaces.permissions import Perm

ACCEPT, PARTIAL, REJECT = "accept", "partial", "reject"
DECISIONS = (ACCEPT, PARTIAL, REJECT)

# The appeal window a workspace may set, in days.
MIN_DAYS, MAX_DAYS = 1, 90


# --------------------------------------------------------------------------- who


def review_appeals_holders(workspace: Workspace) -> list[User]:
    """Active members holding review_appeals here (by user type or grant), by name."""
    return members_holding(workspace, Perm.REVIEW_APPEALS)


def _nearest_manager(path: str, holders: dict[int, User], exclude: set[int]) -> User | None:
    """The first (by name) manager holding review_appeals of the segment at `path`, else of
    its parent, and so on up the tree."""
    ids = [int(part) for part in path.strip("/").split("/") if part.isdigit()]
    if not ids:
        return None
    segments = {s.pk: s for s in Segment.objects.filter(pk__in=ids).prefetch_related("managers")}
    for pk in reversed(ids):
        segment = segments.get(pk)
        if segment is None:
            continue
        found = [u for u in segment.managers.all() if u.pk in holders and u.pk not in exclude]
        if found:
            return min(found, key=lambda u: (str(u).lower(), u.pk))
    return None


def appeal_reviewer(workspace: Workspace, evaluation: Evaluation) -> User | None:
    """Who decides an appeal on `evaluation` (the rule in the module's docstring)."""
    holders = {u.pk: u for u in review_appeals_holders(workspace)}
    exclude = {pk for pk in (evaluation.agent_id, evaluation.evaluator_id) if pk}
    arbitrator = workspace.appeal_arbitrator_id
    if arbitrator and arbitrator in holders and arbitrator != evaluation.agent_id:
        return holders[arbitrator]
    if evaluation.evaluator_id:
        segment = agent_segment(workspace, evaluation.evaluator_id)
        if segment is not None:
            found = _nearest_manager(segment.path, holders, exclude)
            if found is not None:
                return found
    if evaluation.segment_path:
        return _nearest_manager(evaluation.segment_path, holders, exclude)
    return None


def is_arbitrator(access: Access) -> bool:
    return access.user is not None and access.workspace.appeal_arbitrator_id == access.user.pk


def refusal_to_decide(access: Access, appeal: Appeal) -> str:
    """Why the caller may not decide this appeal, in words; "" when they may."""
    if access.user is None:
        return ""
    if not access.has(Perm.REVIEW_APPEALS):
        return _("You need permission to decide appeals.")
    if appeal.agent_id == access.user.pk or appeal.evaluation.agent_id == access.user.pk:
        return _("You cannot decide an appeal about your own work.")
    if appeal.evaluation.evaluator_id == access.user.pk and not is_arbitrator(access):
        return _("You evaluated this work: another reviewer decides the appeal.")
    return ""


def can_decide(access: Access, appeal: Appeal) -> bool:
    return appeal.status == AppealStatus.OPEN and not refusal_to_decide(access, appeal)


# --------------------------------------------------------------------------- reading


def appeals_visible(access: Access):
    """The appeals the caller may see: those on an evaluation they may see (the agent their
    own), and those they were named to review."""
    qs = Appeal.objects.filter(workspace=access.workspace)
    cond = evaluation_visibility_q(access, "evaluation__")
    if cond is None:
        return qs
    if access.user is not None:
        cond |= Q(reviewer=access.user)
    return qs.filter(cond)


def appeal_get(access: Access, pk) -> Appeal:
    """One appeal the caller may see, else 404."""
    found = (
        appeals_visible(access)
        .select_related(
            "evaluation__scorecard",
            "evaluation__version",
            "evaluation__agent",
            "evaluation__evaluator",
            "agent",
            "reviewer",
            "decided_by",
        )
        .filter(pk=int_or_none(pk) or 0)
        .first()
    )
    if found is None:
        raise Http404("No such appeal")
    return found


def to_review_q(access: Access) -> Q:
    """Open appeals the caller is to decide: named to them, or without a named reviewer and
    theirs to decide (review_appeals, not their own work, not their own evaluation)."""
    if access.user is None or not access.has(Perm.REVIEW_APPEALS):
        return Q(pk__in=[])
    me = access.user.pk
    unnamed = Q(reviewer__isnull=True) & ~Q(evaluation__agent_id=me)
    if not is_arbitrator(access):
        unnamed &= ~Q(evaluation__evaluator_id=me)
    return Q(status=AppealStatus.OPEN) & (Q(reviewer_id=me) | unnamed)


def appeals_to_review_count(access: Access) -> int:
    """How many open appeals wait for the caller's decision (Home's "appeals to review")."""
    if access.user is None or not access.has(Perm.REVIEW_APPEALS):
        return 0
    return appeals_visible(access).filter(to_review_q(access)).count()


def appeal_counts(qs) -> dict[str, int]:
    """{status: count} for every status (0 where none), and "total"."""
    counts = {s: 0 for s in AppealStatus.values}
    for row in qs.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    counts["total"] = sum(counts.values())
    return counts


@dataclass
class Listed:
    """The appeal list: `counts` per status over the other filters, `rows` with all of them."""

    counts: dict[str, int]
    rows: object  # a queryset, newest first


def appeals_listed(access: Access, *, status="", agent="", reviewer="", mine=False) -> Listed:
    """The appeals the caller sees, filtered: status (an AppealStatus value), agent and
    reviewer (user ids), `mine` (the ones waiting for the caller's decision). FieldErrors
    naming the filter for a value that is none of these."""
    errors: dict[str, str] = {}
    qs = appeals_visible(access)
    if status not in ("", None) and status not in AppealStatus.values:
        errors["status"] = _("One of: %(values)s.") % {"values": ", ".join(AppealStatus.values)}
    for name, value in (("agent", agent), ("reviewer", reviewer)):
        if value in ("", None):
            continue
        pk = int_or_none(value) if not isinstance(value, bool) else None
        if pk is None or pk < 1:
            errors[name] = _("A user id.")
        else:
            qs = qs.filter(**{f"{name}_id" if name == "reviewer" else "evaluation__agent_id": pk})
    if errors:
        raise FieldErrors(errors)
    if mine:
        qs = qs.filter(to_review_q(access))
    counts = appeal_counts(qs)
    if status:
        qs = qs.filter(status=status)
    rows = qs.select_related(
        "evaluation__scorecard", "evaluation__agent", "reviewer", "decided_by"
    ).annotate(n_items=Count("items"))
    return Listed(counts=counts, rows=rows)


@dataclass(frozen=True)
class ItemRow:
    item: AppealItem
    criterion: scoring.CriterionDef | None
    question: str
    current: str  # the evaluation's answer the appeal disputes
    proposed: str


def item_rows(appeal: Appeal) -> list[ItemRow]:
    """The appeal's items with the criterion's question, the evaluation's current answer and
    the proposed one, in words."""
    evaluation = appeal.evaluation
    by_id = {c.id: c for c in scoring.criteria_of(evaluation.version.sections)}
    stored = {a.criterion_id: a for a in evaluation.answers.all()}
    # Accepted items changed the answers: what they replaced is in the evaluation's log,
    # written while this appeal was the open one (one open appeal at a time).
    replaced = {}
    if appeal.decided_at is not None and appeal.status in (
        AppealStatus.ACCEPTED,
        AppealStatus.PARTIAL,
    ):
        replaced = dict(
            EvaluationChange.objects.filter(
                evaluation=evaluation,
                action="appeal_accepted",
                field="answer",
                at__gte=appeal.created_at,
                at__lte=appeal.decided_at,
            ).values_list("criterion_id", "old_value")
        )
    rows = []
    for item in appeal.items.all():
        c = by_id.get(item.criterion_id)
        a = stored.get(item.criterion_id)
        current = (c.label_of(a.value, a.na) if a else "—") if c else "—"
        rows.append(
            ItemRow(
                item=item,
                criterion=c,
                question=c.question if c else str(item.criterion_id),
                current=replaced.get(item.criterion_id, current),
                proposed=c.label_of(item.proposed_value, item.proposed_na)
                if c
                else str(item.proposed_value),
            )
        )
    return rows


def appeal_deadline(workspace: Workspace, evaluation: Evaluation) -> dt.datetime:
    return evaluation.created_at + dt.timedelta(days=workspace.appeal_days)


def may_appeal(access: Access, evaluation: Evaluation, *, now=None) -> bool:
    """Whether the caller may file an appeal on it now (the page shows the form then)."""
    now = now or timezone.now()
    return (
        access.user is not None
        and evaluation.agent_id == access.user.pk
        and evaluation.kind == EvaluationKind.REGULAR
        and now <= appeal_deadline(access.workspace, evaluation)
        and not evaluation.appeals.filter(status=AppealStatus.OPEN).exists()
    )


# --------------------------------------------------------------------------- writing


def _items_errors(exc: FieldErrors) -> dict[str, str]:
    """parse_answers / check_answers errors ("answers.<id>") as the items' ("items.<id>")."""
    return {
        ("items" + key[len("answers") :] if key.startswith("answers") else key): message
        for key, message in exc.errors.items()
    }


def _check_items(evaluation: Evaluation, raw) -> dict[int, scoring.Given]:
    if raw is None or (isinstance(raw, dict | list) and not raw):
        raise FieldErrors.one("items", _("Propose a different answer for at least one criterion."))
    try:
        proposed = parse_answers(raw)
    except FieldErrors as exc:
        raise FieldErrors(_items_errors(exc)) from None
    criteria = scoring.criteria_of(evaluation.version.sections)
    by_id = {c.id: c for c in criteria}
    before = given_of(evaluation)
    errors: dict[str, str] = {}
    for cid, g in proposed.items():
        key = f"items.{cid}"
        if cid not in by_id:
            errors[key] = _("No such criterion on this scorecard.")
        elif not g.na and g.value is None:
            errors[key] = _("Propose a value on the criterion's scale, or N/A.")
        elif g.message_ref:
            errors[key] = _("An appeal proposes answers; it does not pin comments.")
        else:
            old = before.get(cid, scoring.Given())
            if (old.value, old.na) == (g.value, g.na):
                errors[key] = _("That is already the answer: propose a different one.")
    if errors:
        raise FieldErrors(errors)
    # The evaluation's answers with the proposed ones in place must score: a value on the
    # scale, N/A only where allowed.
    merged = {**before}
    for cid, g in proposed.items():
        old = before.get(cid, scoring.Given())
        merged[cid] = scoring.Given(
            value=g.value, na=g.na, comment=old.comment, message_ref=old.message_ref
        )
    try:
        scoring.check_answers(criteria, merged)
    except FieldErrors as exc:
        mapped = {k: v for k, v in _items_errors(exc).items() if k == "items" or k[6:].isdigit()}
        raise FieldErrors(mapped or {"items": _("These answers cannot be scored.")}) from None
    return proposed


def appeal_create(*, access: Access, evaluation: Evaluation, comment, items) -> Appeal:
    """The evaluated agent appeals a regular evaluation within the workspace's window: a
    comment (required) and, per disputed criterion, the answer they propose. `items` takes
    the shape of services.parse_answers ({"<criterion id>": {"value", "na", "comment"}} or
    a list of objects with "criterion"). FieldErrors name "evaluation", "comment", "items" or
    "items.<criterion id>"; nothing is written then."""
    if access.user is None or evaluation.agent_id != access.user.pk:
        raise PermissionDenied(_("Only the agent evaluated can appeal an evaluation."))
    if evaluation.kind != EvaluationKind.REGULAR:
        raise FieldErrors.one("evaluation", _("A calibration evaluation cannot be appealed."))
    workspace = access.workspace
    deadline = appeal_deadline(workspace, evaluation)
    if timezone.now() > deadline:
        raise FieldErrors.one(
            "evaluation",
            _("The time to appeal this evaluation ended on %(date)s.")
            % {"date": format_day(deadline)},
        )
    if evaluation.appeals.filter(status=AppealStatus.OPEN).exists():
        raise FieldErrors.one("evaluation", _("This evaluation already has an open appeal."))
    errors: dict[str, str] = {}
    if not isinstance(comment, str) or not comment.strip():
        errors["comment"] = _("Say why you appeal.")
    elif problem := text_error(comment, MAX_BODY):
        errors["comment"] = problem
    proposed: dict[int, scoring.Given] = {}
    try:
        proposed = _check_items(evaluation, items)
    except FieldErrors as exc:
        errors.update(exc.errors)
    for cid, g in proposed.items():
        if g.comment and (problem := text_error(g.comment, MAX_BODY)):
            errors[f"items.{cid}"] = problem
    if errors:
        raise FieldErrors(errors)
    reviewer = appeal_reviewer(workspace, evaluation)
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                workspace=workspace,
                evaluation=evaluation,
                agent=access.user,
                reviewer=reviewer,
                comment=comment.strip(),
            )
            AppealItem.objects.bulk_create(
                AppealItem(
                    appeal=appeal,
                    criterion_id=cid,
                    proposed_value=None if g.na else g.value,
                    proposed_na=g.na,
                    comment=g.comment.strip(),
                )
                for cid, g in proposed.items()
            )
    except IntegrityError:
        # Another appeal on this evaluation was filed between the check and the write: the
        # partial unique index one_open_appeal refused this one.
        raise FieldErrors.one(
            "evaluation", _("This evaluation already has an open appeal.")
        ) from None
    return appeal


def appeal_decide(
    *, access: Access, appeal: Appeal, decision, comment, accepted_items=None
) -> Appeal:
    """The reviewer decides an open appeal: accept (every item), partial (the criteria ids in
    `accepted_items`; all of them is an acceptance) or reject, with a comment (required).
    Accepted items' proposed answers replace the evaluation's (logged as "appeal_accepted",
    the comment as the reason); a rejection changes nothing on the evaluation. Stores the
    score before and after, and each item's outcome."""
    access.require(Perm.REVIEW_APPEALS)
    if why := refusal_to_decide(access, appeal):
        raise PermissionDenied(why)
    errors: dict[str, str] = {}
    if appeal.status != AppealStatus.OPEN:
        raise FieldErrors.one("appeal", _("This appeal was already decided."))
    if decision not in DECISIONS:
        errors["decision"] = _("Choose accept, partial or reject.")
    if not isinstance(comment, str) or not comment.strip():
        errors["comment"] = _("Say why you decide so.")
    elif problem := text_error(comment, MAX_BODY):
        errors["comment"] = problem
    items = list(appeal.items.all())
    item_ids = {i.criterion_id for i in items}
    accepted: set[int] = set()
    if decision == ACCEPT:
        accepted = set(item_ids)
    elif decision == PARTIAL:
        raw = accepted_items if isinstance(accepted_items, list | tuple) else None
        ids = [int_or_none(v) if not isinstance(v, bool) else None for v in raw or []]
        if raw is None or not raw:
            errors["accepted_items"] = _("Choose the criteria you accept.")
        elif any(i is None or i not in item_ids for i in ids):
            errors["accepted_items"] = _("Only criteria this appeal disputes can be accepted.")
        else:
            accepted = set(ids)
    if errors:
        raise FieldErrors(errors)
    status = AppealStatus.REJECTED
    if accepted:
        status = AppealStatus.ACCEPTED if accepted == item_ids else AppealStatus.PARTIAL
    reason = comment.strip()
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().filter(pk=appeal.pk).first()
        if locked is None or locked.status != AppealStatus.OPEN:
            raise FieldErrors.one("appeal", _("This appeal was already decided."))
        evaluation = Evaluation.objects.get(pk=appeal.evaluation_id)
        before = evaluation.score
        if accepted:
            stored = given_of(evaluation)
            changed = {}
            for item in items:
                if item.criterion_id not in accepted:
                    continue
                old = stored.get(item.criterion_id, scoring.Given())
                changed[item.criterion_id] = scoring.Given(
                    value=None if item.proposed_na else item.proposed_value,
                    na=item.proposed_na,
                    comment=old.comment,
                    message_ref=old.message_ref,
                )
            try:
                evaluation = evaluation_rescore_answers(
                    access=access,
                    evaluation=evaluation,
                    changed=changed,
                    action="appeal_accepted",
                    reason=reason,
                )
            except FieldErrors as exc:
                # The scorecard changed under the appeal (a rescore onto a new version).
                raise FieldErrors({"accepted_items": "; ".join(exc.errors.values())}) from None
        for item in items:
            item.accepted = item.criterion_id in accepted
        AppealItem.objects.bulk_update(items, ["accepted"])
        appeal.status = status
        appeal.decided_by = access.user
        appeal.decision_comment = reason
        appeal.decided_at = timezone.now()
        appeal.score_before = before
        appeal.score_after = evaluation.score
        appeal.save(
            update_fields=[
                "status",
                "decided_by",
                "decision_comment",
                "decided_at",
                "score_before",
                "score_after",
            ]
        )
    appeal.evaluation = evaluation
    return appeal


def appeal_settings_set(*, access: Access, appeal_days, arbitrator_id) -> Workspace:
    """The appeal window (1–90 days) and the named arbitrator (a member holding
    review_appeals, or none), audited on the workspace. Needs manage_scorecards."""
    access.require(Perm.MANAGE_SCORECARDS)
    workspace = access.workspace
    errors: dict[str, str] = {}
    days = None
    if isinstance(appeal_days, int) and not isinstance(appeal_days, bool):
        days = appeal_days
    elif isinstance(appeal_days, str) and appeal_days.strip().isascii():
        days = int_or_none(appeal_days.strip())
    if days is None or not MIN_DAYS <= days <= MAX_DAYS:
        errors["appeal_days"] = _("A whole number of days from %(min)s to %(max)s.") % {
            "min": MIN_DAYS,
            "max": MAX_DAYS,
        }
    arbitrator = None
    if arbitrator_id not in (None, ""):
        holders = {u.pk: u for u in review_appeals_holders(workspace)}
        pk = int_or_none(arbitrator_id) if not isinstance(arbitrator_id, bool) else None
        arbitrator = holders.get(pk) if pk is not None else None
        if arbitrator is None:
            errors["arbitrator"] = _("Choose a member who may decide appeals.")
    if errors:
        raise FieldErrors(errors)
    changes = []
    if workspace.appeal_days != days:
        changes.append(("appeal_days", str(workspace.appeal_days), str(days)))
    if workspace.appeal_arbitrator_id != (arbitrator.pk if arbitrator else None):
        old = User.objects.filter(pk=workspace.appeal_arbitrator_id).first()
        changes.append(("appeal_arbitrator", str(old or ""), str(arbitrator or "")))
    if changes:
        with transaction.atomic():
            workspace.appeal_days = days
            workspace.appeal_arbitrator = arbitrator
            workspace.save(update_fields=["appeal_days", "appeal_arbitrator"])
            audit_changes(
                workspace=workspace,
                obj=workspace,
                actor=access.user,
                action="appeal_settings",
                changes=changes,
            )
    return workspace
