"""Rescoring: moving a scorecard's past evaluations onto another version (normally its current
one) and scoring them again with that version's weights, set-based in SQL.

The rules are those of `caredesk.quality.scoring`, applied to what each evaluation answered:

- An answer the new version cannot take is removed: its criterion was dropped, its value is
  not on the criterion's scale any more, or it is N/A where N/A is no longer allowed. Like a
  criterion new in the version, it then counts as unanswered: out of the denominator.
- The rest is scored exactly as `scoring.score` scores the new version's criteria that the
  evaluation answered: each answer's share and whether it fails come from
  `CriterionDef.share` (computed in Python once per criterion and point, then joined), the sums
  are added up in the version's criterion order (so the floating point is the same as
  Python's), auto-fail gives 0, the bonus is capped at 100, and the score is rounded to two
  decimals as Python's `round` does (half to even on the exact binary value).
- An evaluation none of whose regular answers count on the new version cannot be scored on it:
  it stays on its version, unchanged (`rescore_evaluations` does not count it).
- Each evaluation whose score or pass changed gets a line in its log (action "rescored",
  field "score", old → new, "Rescored on version N").
- A rescore opens no coaching case: the cases follow what evaluators did at the time; an
  evaluation that fails only because the rules changed does not make the agent's coach
  start coaching (the settings page says so).

Per batch: one INSERT of the new results into a temporary table (one aggregate query over the
batch's answers), one DELETE and one UPDATE of the answers, one INSERT into the log and one
UPDATE of the evaluations; no per-row Python."""

from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from caredesk.audit.services import audit_changes
from caredesk.core.errors import FieldErrors
from caredesk.quality import scoring
from caredesk.quality.models import (
    Answer,
    Evaluation,
    EvaluationChange,
    EvaluationKind,
    RescoreJob,
    RescoreStatus,
    Scorecard,
    ScorecardVersion,
)
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

TMP = "quality_rescore_tmp"
# SQLite takes at most 32,766 parameters in a statement.
SQLITE_BATCH = 10000
D = "DOUBLE PRECISION"
BUSY = (RescoreStatus.QUEUED, RescoreStatus.RUNNING)
# The join key of an answer without a value (N/A, an unanswered bonus): no scale has it.
NO_VALUE = -1


def _f(value) -> str:
    return f"CAST({value} AS {D})"


def _round2(x: str) -> str:
    """SQL for Python's round(x, 2) on a non-negative double `x` (a column name): the exact
    product x × 100 is p + e (Dekker's product with a split x); ties go to the even hundredth."""
    is_pg = connection.vendor == "postgresql"
    r = f"({x} * {_f(100)})"
    floor = f"FLOOR({r})" if is_pg else f"CAST({r} AS INTEGER)"
    c = f"({_f(134217729)} * {x})"
    hi = f"({c} - ({c} - {x}))"
    lo = f"({x} - {hi})"
    err = f"(({hi} * {_f(100)} - {r}) + {lo} * {_f(100)})"
    up = f"({floor} + 1)"
    half = f"({r} - {floor})"
    even = f"(CASE WHEN MOD(CAST({floor} AS BIGINT), 2) = 0 THEN {floor} ELSE {up} END)"
    if not is_pg:
        even = f"(CASE WHEN (CAST({floor} AS INTEGER) % 2) = 0 THEN {floor} ELSE {up} END)"
    pick = (
        f"(CASE WHEN {half} > {_f(0.5)} THEN {up} WHEN {half} < {_f(0.5)} THEN {floor}"
        f" WHEN {err} > 0 THEN {up} WHEN {err} < 0 THEN {floor} ELSE {even} END)"
    )
    return f"(CAST({pick} AS {D}) / {_f(100)})"


def _values(rows: list[tuple], casts: list[str]) -> tuple[str, list]:
    """A VALUES list with every parameter cast (so both databases type the columns alike)."""
    one = "(" + ", ".join(f"CAST(%s AS {t})" for t in casts) + ")"
    params = [v for row in rows for v in row]
    return ", ".join([one] * len(rows)), params


def _definition(version: ScorecardVersion):
    """The version's criteria (c), the scorable points (v) and what every kept answer becomes
    (w: by criterion and value, NO_VALUE for N/A or an unanswered bonus) as VALUES."""
    criteria = scoring.criteria_of(version.sections)
    c_rows, v_rows, w_rows = [], [], []
    for pos, c in enumerate(criteria):
        c_rows.append((c.id, pos, c.weight, c.na_allowed, c.bonus))
        w_rows.append((c.id, NO_VALUE, c.weight, c.bonus, None, False))
        for value in c.values:
            share = c.share(value)
            failed = share < scoring.FAIL_BELOW
            v_rows.append(
                (
                    c.id,
                    value,
                    share,
                    failed,
                    c.weight * share,
                    c.bonus,
                    bool(c.auto_fail and not c.bonus and failed),
                )
            )
            w_rows.append((c.id, value, c.weight, c.bonus, share, failed))
    c_sql, c_params = _values(c_rows, ["BIGINT", "INTEGER", D, "BOOLEAN", "BOOLEAN"])
    v_sql, v_params = _values(v_rows, ["BIGINT", "INTEGER", D, "BOOLEAN", D, "BOOLEAN", "BOOLEAN"])
    w_sql, w_params = _values(w_rows, ["BIGINT", "INTEGER", D, "BOOLEAN", D, "BOOLEAN"])
    cte = (
        f"c(cid, pos, weight, na_allowed, bonus) AS (VALUES {c_sql}), "
        f"v(cid, value, share, failed, term, bonus, af) AS (VALUES {v_sql})"
    )
    w_cte = f"w(cid, value, weight, bonus, share, failed) AS (VALUES {w_sql})"
    return cte, c_params + v_params, w_cte, w_params, criteria


def _sum_in_order(criteria, column: str, *, bonus: bool, weight=False) -> str:
    """((0 + t1) + t2) + …: each criterion's term in the version's order, 0 when it does not
    count (adding 0.0 changes nothing), as `scoring.score` adds them up."""
    expr = _f(0)
    for c in criteria:
        if c.bonus != bonus:
            continue
        term = _f(c.weight) if weight else f"v.{column}"
        expr = (
            f"({expr} + COALESCE(MAX(CASE WHEN a.criterion_id = {int(c.id)} "
            f"THEN {term} END), {_f(0)}))"
        )
    return expr


def rescore_evaluations(
    *,
    scorecard: Scorecard,
    to_version: ScorecardVersion,
    evaluation_ids=None,
    batch: int = 20000,
    progress: Callable[[int, int], None] | None = None,
    actor=None,
) -> int:
    """Move the scorecard's regular evaluations of other versions (or only those of
    `evaluation_ids`) onto `to_version` and score them again; answers how many moved.
    `progress(done, total)` after each batch."""
    if to_version.scorecard_id != scorecard.pk:
        raise ValueError("to_version is not a version of this scorecard")
    qs = Evaluation.objects.filter(scorecard=scorecard, kind=EvaluationKind.REGULAR).exclude(
        version=to_version
    )
    if evaluation_ids is not None:
        qs = qs.filter(pk__in=list(evaluation_ids))
    ids = sorted(qs.values_list("pk", flat=True))
    total = len(ids)
    if progress:
        progress(0, total)
    if not ids:
        return 0
    is_pg = connection.vendor == "postgresql"
    if not is_pg:
        batch = min(batch, SQLITE_BATCH)
    batch = max(1, batch)
    cte, cte_params, w_cte, w_params, criteria = _definition(to_version)
    sources = ScorecardVersion.objects.filter(
        pk__in=qs.values("version_id").distinct()
    ).values_list("sections", flat=True)
    may_drop = any(not _fits(scoring.criteria_of(s), criteria) for s in sources)
    with translation.override(scorecard.workspace.language or "en"):
        reason = _("Rescored on version %(n)s") % {"n": to_version.number}
    moved = 0
    for start in range(0, total, batch):
        chunk = ids[start : start + batch]
        with transaction.atomic():
            moved += _rescore_batch(
                chunk,
                to_version,
                criteria,
                (cte, cte_params, w_cte, w_params),
                reason,
                actor,
                is_pg,
                may_drop,
            )
        if progress:
            progress(min(start + batch, total), total)
    return moved


def _fits(old: list[scoring.CriterionDef], new: list[scoring.CriterionDef]) -> bool:
    """Whether every answer `old` could hold stays valid on `new` (then no answer is removed
    and the batches skip that statement)."""
    by_id = {c.id: c for c in new}
    for o in old:
        n = by_id.get(o.id)
        if n is None or not set(o.values) <= set(n.values):
            return False
        if (o.na_allowed and not n.na_allowed) or (o.bonus and not n.bonus):
            return False
    return True


def _rescore_batch(chunk, to_version, criteria, ctes, reason, actor, is_pg, may_drop=True) -> int:
    cte, cte_params, w_cte, w_params = ctes
    a_t = Answer._meta.db_table
    e_t = Evaluation._meta.db_table
    l_t = EvaluationChange._meta.db_table
    now = timezone.now()
    if is_pg:
        in_chunk, chunk_params = "= ANY(%s)", [list(chunk)]
    else:
        in_chunk, chunk_params = "IN (" + ", ".join(["%s"] * len(chunk)) + ")", list(chunk)
    earned = _sum_in_order(criteria, "term", bonus=False)
    possible = _sum_in_order(criteria, "", bonus=False, weight=True)
    bonus = _sum_in_order(criteria, "term", bonus=True)
    raw = (
        f"CASE WHEN s.af = 1 THEN {_f(0)} ELSE (CASE WHEN s.val < {_f(100)} "
        f"THEN s.val ELSE {_f(100)} END) END"
    )
    fmt = (lambda col: f"CAST({col} AS TEXT)") if is_pg else (lambda col: f"printf('%%g', {col})")
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {TMP} (id BIGINT PRIMARY KEY, "
            f"score {D} NOT NULL, passed BOOLEAN NOT NULL, auto_failed BOOLEAN NOT NULL)"
        )
        cur.execute(f"DELETE FROM {TMP}")
        # 1. The new results of the evaluations that still have a regular answer that counts.
        cur.execute(
            f"WITH {cte} INSERT INTO {TMP} (id, score, passed, auto_failed) "
            f"SELECT r.id, r.score, (r.af = 0 AND r.score >= %s), (r.af = 1) FROM ("
            f" SELECT q.id, q.af, {_round2('q.x')} AS score FROM ("
            f"  SELECT s.id, s.af, {raw} AS x FROM ("
            f"   SELECT t.id, t.af, (({_f(100)} * t.earned) / t.possible + t.bonus) AS val"
            f"   FROM ("
            f"    SELECT a.evaluation_id AS id, {earned} AS earned, {possible} AS possible,"
            f"     {bonus} AS bonus, MAX(CASE WHEN v.af THEN 1 ELSE 0 END) AS af,"
            f"     SUM(CASE WHEN v.bonus THEN 0 ELSE 1 END) AS n"
            f"    FROM {a_t} a JOIN v ON v.cid = a.criterion_id AND v.value = a.value"
            f"    WHERE a.evaluation_id {in_chunk} AND NOT a.na"
            f"    GROUP BY a.evaluation_id"
            f"   ) t WHERE t.n > 0"
            f"  ) s"
            f" ) q"
            f") r",
            [*cte_params, to_version.pass_mark, *chunk_params],
        )
        if is_pg:
            # The planner needs the batch's size to join it well.
            cur.execute(f"ANALYZE {TMP}")
        # 2. Answers the new version cannot take go.
        if may_drop:
            cur.execute(
                f"WITH {cte} DELETE FROM {a_t} WHERE id IN ("
                f" SELECT a.id FROM {a_t} a JOIN {TMP} t ON t.id = a.evaluation_id"
                f" LEFT JOIN c ON c.cid = a.criterion_id"
                f" LEFT JOIN v ON v.cid = a.criterion_id AND v.value = a.value"
                f" WHERE c.cid IS NULL OR NOT ("
                f"  (NOT a.na AND v.cid IS NOT NULL) OR (a.na AND c.na_allowed)"
                f"  OR (a.value IS NULL AND NOT a.na AND c.bonus)))",
                cte_params,
            )
        # 3. The rest take the new weights, shares and fails (only those that change).
        cur.execute(
            f"WITH {w_cte} UPDATE {a_t} SET weight = w.weight, bonus = w.bonus,"
            f" fraction = w.share, failed = w.failed FROM {TMP} t, w"
            f" WHERE {a_t}.evaluation_id = t.id AND w.cid = {a_t}.criterion_id"
            f" AND w.value = COALESCE({a_t}.value, {NO_VALUE})"
            f" AND ({a_t}.weight <> w.weight OR {a_t}.bonus <> w.bonus"
            f" OR {a_t}.fraction IS DISTINCT FROM w.share OR {a_t}.failed <> w.failed)",
            w_params,
        )
        # 4. The log of each evaluation whose result changed.
        cur.execute(
            f"INSERT INTO {l_t} (evaluation_id, actor_id, at, action, criterion_id, field,"
            f" old_value, new_value, reason)"
            f" SELECT e.id, %s, %s, 'rescored', NULL, 'score', {fmt('e.score')},"
            f" {fmt('t.score')}, %s FROM {e_t} e JOIN {TMP} t ON t.id = e.id"
            f" WHERE e.score <> t.score OR e.passed <> t.passed",
            [getattr(actor, "pk", None), connection.ops.adapt_datetimefield_value(now), reason],
        )
        # 5. The evaluations take the version and their new result.
        cur.execute(
            f"UPDATE {e_t} SET version_id = %s, score = t.score, passed = t.passed,"
            f" auto_failed = t.auto_failed, updated_at = %s FROM {TMP} t"
            f" WHERE {e_t}.id = t.id",
            [to_version.pk, connection.ops.adapt_datetimefield_value(now)],
        )
        moved = cur.rowcount
        cur.execute(f"DELETE FROM {TMP}")
    return moved


# --------------------------------------------------------------------------- the job


def rescore_start(*, access: Access, scorecard: Scorecard) -> RescoreJob:
    """Queue a rescore of the scorecard's evaluations of older versions onto its current
    version. Refused (400 "scorecard") while one is queued or running, or when no evaluation
    is on an older version."""
    from caredesk.quality import tasks

    access.require(Perm.MANAGE_SCORECARDS)
    with transaction.atomic():
        card = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
        if RescoreJob.objects.filter(scorecard=card, status__in=BUSY).exists():
            raise FieldErrors.one("scorecard", _("A rescore of this scorecard is under way."))
        total = (
            Evaluation.objects.filter(scorecard=card, kind=EvaluationKind.REGULAR)
            .exclude(version_id=card.current_version_id)
            .count()
        )
        if not total:
            raise FieldErrors.one(
                "scorecard", _("No evaluation of this scorecard is on an older version.")
            )
        job = RescoreJob.objects.create(
            workspace=access.workspace,
            scorecard=card,
            to_version_id=card.current_version_id,
            total=total,
            started_by=access.user,
        )
        transaction.on_commit(lambda: tasks.rescore_job(job.pk))
    return job


def rescore_run(job_id: int) -> RescoreJob | None:
    """Run a queued job (the worker's task): progress in job.done/total, audited on the
    scorecard when done."""
    claimed = RescoreJob.objects.filter(pk=job_id, status=RescoreStatus.QUEUED).update(
        status=RescoreStatus.RUNNING
    )
    if not claimed:
        return None
    job = RescoreJob.objects.select_related("scorecard__workspace", "to_version").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        RescoreJob.objects.filter(pk=job_id).update(done=done, total=total)

    try:
        moved = rescore_evaluations(
            scorecard=job.scorecard,
            to_version=job.to_version,
            progress=progress,
            actor=job.started_by,
        )
    except Exception as exc:
        RescoreJob.objects.filter(pk=job_id).update(
            status=RescoreStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        RescoreJob.objects.filter(pk=job_id).update(
            status=RescoreStatus.DONE, finished_at=timezone.now()
        )
        audit_changes(
            workspace=job.workspace,
            obj=job.scorecard,
            actor=job.started_by,
            action="rescored",
            changes=[
                ("version", "", str(job.to_version.number)),
                ("evaluations", "", str(moved)),
            ],
        )
    job.refresh_from_db()
    return job
