"""Calibration sessions: a manager picks one piece of work (an activity or a ticket) and a
scorecard, invites evaluators, each scores it blind, and the answers are then compared side
by side with their spread and agreement.

Rules (tests/quality/test_calibration_*.py):
- Starting and closing a session is a manager's act: permission `review_appeals` (the one who
  arbitrates between an agent and an evaluator also calibrates the evaluators).
  `manage_scorecards` alone does not start one: it is about the questions, not the people.
- Invitees are members holding `evaluate`, at least two, never the agent of the work.
- An invitee, or the starter, scores once (`services.evaluation_create` with the session:
  kind calibration, never visible to the agent, never a coaching case, never in a quality
  score). A second submission is refused (400), as is one once the session is closed.
- Blindness: nobody sees anyone's answers in the session until they have submitted their
  own, or the session is closed; until then only how many have submitted. A starter who does
  not score sees them once they close the session.
- Who sees a session at all: its starter, its invitees, and whoever sees the whole workspace;
  anyone else gets a 404.
- Agreement: per criterion the pairwise percent agreement (the share of evaluator pairs giving
  the same answer), and over all criteria Krippendorff's alpha (interval level; units =
  criteria, values = the share of the weight earned, N/A as missing)."""

import math
import warnings
from dataclasses import dataclass, field

import krippendorff
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from caredesk.care.models import Case
from caredesk.core.errors import FieldErrors
from caredesk.core.limits import check_text
from caredesk.journey.models import Activity
from caredesk.quality import scoring
from caredesk.quality.models import (
    CalibrationSession,
    CalibrationStatus,
    Evaluation,
    EvaluationKind,
    Scorecard,
)
from caredesk.quality.people import int_or_none, member_of
from caredesk.quality.services import applies_to, evaluation_create
from caredesk.workspaces.access import Access, members_holding, workspace_permissions
from caredesk.workspaces.permissions import Perm

# The permission to start and close a session (see the module's docstring).
START = Perm.REVIEW_APPEALS
MIN_INVITEES = 2
MAX_INVITEES = 50
# Figures are rounded here to what the page shows (Django's number format cuts, not rounds):
# agreement to 0.1 point, alpha to 0.001, points and scores to 0.01.
# Krippendorff's reading of alpha: reliable from 0.8; at or below 0.667, too poor to rely on.
ALPHA_GOOD = 0.8
ALPHA_POOR = 0.667


def require_calibration(access: Access) -> None:
    """The calibration pages are for evaluators and for those who decide appeals."""
    if not (access.has(Perm.EVALUATE) or access.has(START)):
        access.require(Perm.EVALUATE)


# -- reading ----------------------------------------------------------------------------------


def sessions_visible(access: Access):
    """The sessions the caller sees: started by them or inviting them; every one of the
    workspace for whoever sees the whole workspace."""
    qs = CalibrationSession.objects.visible_to(access)
    if access.sees_whole_workspace:
        return qs
    if access.user is None:
        return qs.none()
    invited = CalibrationSession.invitees.through.objects.filter(user_id=access.user.pk)
    return qs.filter(Q(started_by=access.user) | Q(pk__in=invited.values("calibrationsession_id")))


def session_get(access: Access, pk) -> CalibrationSession:
    """One session the caller sees, else 404."""
    pk = int_or_none(pk)
    found = (
        sessions_visible(access)
        .select_related("scorecard", "version", "activity", "case", "started_by")
        .filter(pk=pk)
        .first()
        if pk is not None
        else None
    )
    if found is None:
        raise Http404("No such calibration session")
    return found


LIST_LIMIT = 200


@dataclass(frozen=True)
class SessionRow:
    session: CalibrationSession
    submitted: int
    invited: int
    to_score: bool  # the caller may score it and has not
    my_evaluation_id: int | None  # the caller's score of it

    @property
    def scored(self) -> bool:
        return self.my_evaluation_id is not None


def session_rows(access: Access) -> list[SessionRow]:
    """The caller's sessions, newest first (the latest LIST_LIMIT), with their counts."""
    sessions = list(
        sessions_visible(access)
        .select_related("scorecard", "version", "activity", "case", "started_by")
        .prefetch_related("invitees")
        .annotate(
            n_submitted=Count("evaluations", distinct=True),
            n_invited=Count("invitees", distinct=True),
        )[:LIST_LIMIT]
    )
    ids = [s.pk for s in sessions]
    mine: dict[int, int] = {}
    invited = set()
    if access.user is not None and ids:
        mine = dict(
            Evaluation.objects.filter(calibration_id__in=ids, evaluator=access.user).values_list(
                "calibration_id", "pk"
            )
        )
        invited = set(
            CalibrationSession.invitees.through.objects.filter(
                calibrationsession_id__in=ids, user_id=access.user.pk
            ).values_list("calibrationsession_id", flat=True)
        )
    evaluates = access.has(Perm.EVALUATE)
    rows = []
    for s in sessions:
        can = (
            evaluates
            and access.user is not None
            and (s.pk in invited or s.started_by_id == access.user.pk)
        )
        rows.append(
            SessionRow(
                session=s,
                submitted=s.n_submitted,
                invited=s.n_invited,
                to_score=can and s.status == CalibrationStatus.OPEN and s.pk not in mine,
                my_evaluation_id=mine.get(s.pk),
            )
        )
    return rows


def evaluators(access: Access) -> list:
    """The active members holding `evaluate` (by their user type or a grant), by name."""
    return members_holding(access.workspace, Perm.EVALUATE)


def is_invited(access: Access, session: CalibrationSession) -> bool:
    return access.user is not None and session.invitees.filter(pk=access.user.pk).exists()


def may_score(access: Access, session: CalibrationSession) -> bool:
    """An invitee or the starter, holding `evaluate`."""
    if access.user is None or not access.has(Perm.EVALUATE):
        return False
    return session.started_by_id == access.user.pk or is_invited(access, session)


def own_evaluation(access: Access, session: CalibrationSession) -> Evaluation | None:
    if access.user is None:
        return None
    return Evaluation.objects.filter(calibration=session, evaluator=access.user).first()


def sees_answers(access: Access, session: CalibrationSession) -> bool:
    """The blindness rule: once the session is closed, or once the caller has scored it."""
    if session.status == CalibrationStatus.CLOSED:
        return True
    return own_evaluation(access, session) is not None


def submitted_count(session: CalibrationSession) -> int:
    return Evaluation.objects.filter(calibration=session).count()


# -- writing ----------------------------------------------------------------------------------


def _target(access: Access, activity_id, case_id) -> tuple[Activity | None, Case | None]:
    if (activity_id in (None, "")) == (case_id in (None, "")):
        raise FieldErrors.one("activity", _("Pick either an activity or a ticket."))
    if activity_id not in (None, ""):
        pk = int_or_none(activity_id)
        activity = Activity.objects.visible_to(access).filter(pk=pk).first() if pk else None
        if activity is None:
            raise FieldErrors.one("activity", _("No such activity."))
        return activity, None
    pk = int_or_none(case_id)
    case = Case.objects.visible_to(access).filter(pk=pk).first() if pk else None
    if case is None:
        raise FieldErrors.one("case", _("No such ticket."))
    return None, case


def _invitees(access: Access, raw, agent_id: int | None) -> list:
    if not isinstance(raw, list | tuple):
        raise FieldErrors.one("invitees", _("A list of members' ids."))
    ids: list[int] = []
    for value in raw:
        uid = int_or_none(value) if not isinstance(value, bool) else None
        if uid is None:
            raise FieldErrors.one("invitees", _("A list of members' ids."))
        if uid not in ids:
            ids.append(uid)
    if len(ids) > MAX_INVITEES:
        raise FieldErrors.one("invitees", _("At most %(n)s.") % {"n": MAX_INVITEES})
    users = []
    for uid in ids:
        user = member_of(access, uid)
        if user is None:
            raise FieldErrors.one(
                "invitees", _("No such member of this workspace: %(id)s.") % {"id": uid}
            )
        if Perm.EVALUATE not in workspace_permissions(user, access.workspace)[0]:
            raise FieldErrors.one(
                "invitees", _("%(name)s may not evaluate in this workspace.") % {"name": user}
            )
        if agent_id is not None and user.pk == agent_id:
            raise FieldErrors.one(
                "invitees",
                _("%(name)s is the agent of this work and cannot score it.") % {"name": user},
            )
        users.append(user)
    if len(users) < MIN_INVITEES:
        raise FieldErrors.one(
            "invitees", _("Invite at least %(n)s evaluators.") % {"n": MIN_INVITEES}
        )
    return users


def calibration_start(
    *,
    access: Access,
    scorecard_id,
    invitee_ids,
    activity_id=None,
    case_id=None,
    title: str = "",
) -> CalibrationSession:
    """Open a session on one piece of work the caller sees, with a scorecard that applies to
    it (its current version is pinned on the session) and at least two evaluators."""
    access.require(START)
    if not isinstance(title, str):
        raise FieldErrors.one("title", _("A text."))
    check_text(title, "title", 200)
    activity, case = _target(access, activity_id, case_id)
    pk = int_or_none(scorecard_id)
    card = (
        Scorecard.objects.filter(workspace=access.workspace, pk=pk)
        .select_related("current_version")
        .first()
        if pk is not None
        else None
    )
    if card is None or card.current_version is None:
        raise FieldErrors.one("scorecard", _("No such scorecard."))
    if not card.active:
        raise FieldErrors.one("scorecard", _("This scorecard is switched off."))
    if not applies_to(card.current_version, activity, case):
        raise FieldErrors.one("scorecard", _("This scorecard does not apply to this work."))
    agent_id = activity.agent_id if activity is not None else case.owner_id
    users = _invitees(access, invitee_ids, agent_id)
    with transaction.atomic():
        session = CalibrationSession.objects.create(
            workspace=access.workspace,
            title=title.strip(),
            activity=activity,
            case=case,
            scorecard=card,
            version=card.current_version,
            started_by=access.user,
        )
        session.invitees.set(users)
    return session


def calibration_score(
    *, access: Access, session: CalibrationSession, answers, comment: str = ""
) -> Evaluation:
    """The caller's blind score of the session's work, once."""
    access.require(Perm.EVALUATE)
    if not may_score(access, session):
        raise PermissionDenied(_("Only the evaluators invited to this session may score it."))
    if session.activity_id is None and session.case_id is None:
        raise FieldErrors.one("session", _("The work of this session no longer exists."))
    with transaction.atomic():
        locked = CalibrationSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != CalibrationStatus.OPEN:
            raise FieldErrors.one("session", _("This session is closed."))
        if Evaluation.objects.filter(calibration=locked, evaluator=access.user).exists():
            raise FieldErrors.one("session", _("You have scored this session already."))
        done = evaluation_create(
            access=access,
            scorecard_id=locked.scorecard_id,
            answers=answers,
            comment=comment,
            calibration=locked,
        )
        if not done.created:
            raise FieldErrors.one("session", _("You have scored this session already."))
    return done.evaluation


def calibration_close(*, access: Access, session: CalibrationSession) -> CalibrationSession:
    """Its starter closes it: no more scores, and everyone sees the answers. Again: no-op."""
    if access.user is None or session.started_by_id != access.user.pk:
        raise PermissionDenied(_("Only who started the session may close it."))
    access.require(START)
    with transaction.atomic():
        session = CalibrationSession.objects.select_for_update().get(pk=session.pk)
        if session.status != CalibrationStatus.CLOSED:
            session.status = CalibrationStatus.CLOSED
            session.closed_at = timezone.now()
            session.save(update_fields=["status", "closed_at"])
    return session


# -- the result -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: int | None
    label: str
    share: float | None  # None: N/A or unanswered
    points: float | None  # weight × share
    na: bool
    comment: str

    @property
    def share_pct(self) -> float | None:
        return None if self.share is None else 100 * self.share


@dataclass
class CriterionResult:
    criterion: scoring.CriterionDef
    cells: list[Cell]
    # Spread of the points earned (weight × share) over the evaluators who gave a value.
    min_points: float | None = None
    max_points: float | None = None
    sd_points: float | None = None
    # Pairwise percent agreement, 0–100; None with fewer than two scores, or when nobody
    # answered it (a bonus criterion).
    agreement: float | None = None
    pairs: int = 0
    agreeing_pairs: int = 0

    @property
    def min_share(self) -> float | None:
        return None if self.min_points is None else 100 * self.min_points / self.criterion.weight

    @property
    def max_share(self) -> float | None:
        return None if self.max_points is None else 100 * self.max_points / self.criterion.weight


@dataclass(frozen=True)
class Column:
    evaluation: Evaluation
    score: float
    passed: bool
    diff: float  # from the session's mean score


class AlphaState:
    COMPUTED = "computed"
    PERFECT = "perfect"  # every answer the same: alpha is undefined, agreement is perfect
    NO_VARIATION = "no_variation"  # every share the same, some answers not (N/A): undefined
    TOO_FEW = "too_few"  # fewer than two scores of one criterion


@dataclass
class Result:
    columns: list[Column]
    sections: list[tuple[str, list[CriterionResult]]] = field(default_factory=list)
    mean_score: float | None = None
    alpha: float | None = None
    alpha_state: str = AlphaState.TOO_FEW
    agreement: float | None = None  # pairwise percent agreement over every criterion

    @property
    def alpha_reading(self) -> str:
        """good, tentative or poor (Krippendorff's thresholds); "" when not computed."""
        if self.alpha is None:
            return ""
        if self.alpha >= ALPHA_GOOD:
            return "good"
        if self.alpha <= ALPHA_POOR:
            return "poor"
        return "tentative"


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def calibration_result(session: CalibrationSession) -> Result:
    """The submitted answers side by side (one column per evaluator, in the order they
    scored), the spread and the agreement. Read only by callers that `sees_answers`."""
    evaluations = list(
        Evaluation.objects.filter(calibration=session, kind=EvaluationKind.CALIBRATION)
        .select_related("evaluator")
        .prefetch_related("answers")
        .order_by("created_at", "id")
    )
    n = len(evaluations)
    mean = sum(e.score for e in evaluations) / n if n else None
    result = Result(
        columns=[
            Column(e, e.score, e.passed, round(e.score - mean, 2) if mean is not None else 0.0)
            for e in evaluations
        ],
        mean_score=round(mean, 2) if mean is not None else None,
    )
    stored = [{a.criterion_id: a for a in e.answers.all()} for e in evaluations]
    matrix: list[list[float]] = [[] for _e in evaluations]  # evaluator × criterion shares
    total_pairs = total_agreeing = 0
    for c in scoring.criteria_of(session.version.sections):
        cells = []
        for i, answers in enumerate(stored):
            a = answers.get(c.id)
            value, na = (a.value, a.na) if a else (None, False)
            share = a.fraction if a else None
            cells.append(
                Cell(
                    value=value,
                    label=c.label_of(value, na),
                    share=share,
                    points=None if share is None else c.weight * share,
                    na=na,
                    comment=a.comment if a else "",
                )
            )
            matrix[i].append(math.nan if share is None else share)
        row = CriterionResult(criterion=c, cells=cells)
        points = [cell.points for cell in cells if cell.points is not None]
        if points:
            avg = sum(points) / len(points)
            row.min_points, row.max_points = min(points), max(points)
            # Population standard deviation: these evaluators are the whole panel.
            row.sd_points = round(math.sqrt(sum((p - avg) ** 2 for p in points) / len(points)), 2)
        # A bonus criterion nobody answered is not an answer they agree on.
        if n >= 2 and any(cell.na or cell.value is not None for cell in cells):
            answers_given: dict[tuple, int] = {}
            for answers in stored:
                a = answers.get(c.id)
                key = (a.value, a.na) if a else (None, False)
                answers_given[key] = answers_given.get(key, 0) + 1
            row.pairs = _pairs(n)
            row.agreeing_pairs = sum(_pairs(k) for k in answers_given.values())
            row.agreement = round(100 * row.agreeing_pairs / row.pairs, 1)
            total_pairs += row.pairs
            total_agreeing += row.agreeing_pairs
        if not result.sections or result.sections[-1][0] != c.section:
            result.sections.append((c.section, []))
        result.sections[-1][1].append(row)
    if total_pairs:
        result.agreement = round(100 * total_agreeing / total_pairs, 1)
    result.alpha, result.alpha_state = _alpha(matrix, result.agreement)
    return result


def _alpha(matrix: list[list[float]], agreement: float | None) -> tuple[float | None, str]:
    """Krippendorff's alpha (interval) of the evaluator × criterion shares, with the edge
    cases the package refuses: no criterion scored by two evaluators, and no variation at all
    (the expected disagreement is 0, so alpha is 0/0)."""
    if len(matrix) < 2 or not matrix[0]:
        return None, AlphaState.TOO_FEW
    units = list(zip(*matrix, strict=True))
    pairable_units = [u for u in units if sum(not math.isnan(v) for v in u) >= 2]
    if not pairable_units:
        return None, AlphaState.TOO_FEW
    values = {v for u in pairable_units for v in u if not math.isnan(v)}
    if len(values) < 2:
        return None, AlphaState.PERFECT if agreement == 100 else AlphaState.NO_VARIATION
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        alpha = krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval")
    if alpha is None or math.isnan(alpha):
        return None, AlphaState.NO_VARIATION
    return round(float(alpha), 3), AlphaState.COMPUTED
