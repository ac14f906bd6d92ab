"""Reading evaluations: who sees which (models.evaluation_visibility_q), one evaluation as its
rows, the transcript of what was evaluated, the scorecards that apply to a piece of work."""

from dataclasses import dataclass

from django.http import Http404

from caredesk.care.models import Case
from caredesk.journey.models import Activity, MediaType
from caredesk.quality import scoring
from caredesk.quality.models import Evaluation, EvaluationKind, Scorecard
from caredesk.quality.services import applies_to
from caredesk.routing.models import Message
from caredesk.workspaces.access import Access


def evaluations_visible(access: Access, *, include_calibration: bool = False):
    qs = Evaluation.objects.visible_to(access)
    if not include_calibration:
        qs = qs.filter(kind=EvaluationKind.REGULAR)
    return qs


def evaluation_get(access: Access, pk) -> Evaluation:
    """One evaluation the caller may see, else 404 (never 403: its existence is not told)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    found = (
        Evaluation.objects.visible_to(access)
        .select_related("scorecard", "version", "agent", "evaluator", "activity", "case")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such evaluation")
    return found


@dataclass(frozen=True)
class AnswerRow:
    criterion: scoring.CriterionDef
    value: int | None
    na: bool
    label: str
    share: float | None
    failed: bool
    comment: str
    message_ref: str

    @property
    def points(self) -> str:
        """ "earned / possible" in the criterion's weight, "" when N/A."""
        if self.share is None:
            return ""
        return f"{self.criterion.weight * self.share:g} / {self.criterion.weight:g}"


def answer_rows(evaluation: Evaluation) -> list[tuple[str, list[AnswerRow]]]:
    """The evaluation's answers by section, in the order of its scorecard version."""
    stored = {a.criterion_id: a for a in evaluation.answers.all()}
    sections: list[tuple[str, list[AnswerRow]]] = []
    for c in scoring.criteria_of(evaluation.version.sections):
        a = stored.get(c.id)
        row = AnswerRow(
            criterion=c,
            value=a.value if a else None,
            na=a.na if a else False,
            label=c.label_of(a.value if a else None, a.na if a else False),
            share=a.fraction if a else None,
            failed=a.failed if a else False,
            comment=a.comment if a else "",
            message_ref=a.message_ref if a else "",
        )
        if not sections or sections[-1][0] != c.section:
            sections.append((c.section, []))
        sections[-1][1].append(row)
    return sections


@dataclass(frozen=True)
class Line:
    """One line of a transcript: `ref` is what a pinned comment names."""

    ref: str
    speaker: str  # customer, agent, system
    author: str
    text: str
    at: object = None


def transcript(activity: Activity | None, case: Case | None = None) -> list[Line]:
    """What was said, line by line: a chat's messages (ref = message id), a call's transcript
    segments (ref = "s<n>"), an email's body (one line), a ticket's comments (ref = "c<id>")."""
    if activity is None and case is not None:
        return [
            Line(f"c{c.pk}", "agent", str(c.author or ""), c.body, c.created_at)
            for c in case.comments.select_related("author")
        ]
    if activity is None:
        return []
    if activity.media_type == MediaType.CHAT and activity.conversation_id:
        return [
            Line(str(m.pk), m.sender, str(m.author or ""), m.body, m.created_at)
            for m in Message.objects.filter(conversation_id=activity.conversation_id)
            .select_related("author")
            .order_by("id")
        ]
    segments = (activity.context or {}).get("transcript") if activity.context else None
    if activity.media_type == MediaType.CALL and segments:
        return [
            Line(f"s{i}", s.get("speaker", ""), "", s.get("text", ""), s.get("at"))
            for i, s in enumerate(segments, start=1)
        ]
    if activity.body:
        lines = activity.body.splitlines() if activity.media_type == MediaType.CALL else None
        if lines:
            return [Line(f"s{i}", "", "", text, None) for i, text in enumerate(lines, 1) if text]
        return [Line("b", "", "", activity.body, activity.occurred_at)]
    return []


def scorecards_for(access: Access, activity: Activity | None, case: Case | None = None):
    """The active scorecards whose current version applies to this work, by name."""
    cards = (
        Scorecard.objects.visible_to(access)
        .filter(active=True, current_version__isnull=False)
        .select_related("current_version")
    )
    return [c for c in cards if applies_to(c.current_version, activity, case)]
