"""The evaluation badge on journey's activities (timeline rows, activity details): registered as
a journey mark source in QualityConfig.ready, so journey's templates show it without journey
depending on quality."""

from django.urls import reverse
from django.utils.translation import gettext as _

from caredesk.journey.selectors import ActivityMark, activity_mark_source
from caredesk.quality.evaluations import evaluations_of_activities
from caredesk.quality.templatetags.quality_tags import score
from caredesk.workspaces.access import Access


@activity_mark_source
def evaluation_marks(access: Access, activity_ids: list[int]) -> dict[int, list[ActivityMark]]:
    """The latest evaluation of each activity the viewer sees: one query."""
    slug = access.workspace.slug
    return {
        activity_id: [
            ActivityMark(
                text=_("Evaluated: %(score)s") % {"score": score(e.score)},
                url=reverse("evaluation_detail", args=[slug, e.pk]),
                css="eval-badge eval-pass" if e.passed else "eval-badge eval-fail",
            )
        ]
        for activity_id, e in evaluations_of_activities(access, activity_ids).items()
    }
