"""One row behind a figure as a line of Home's lists, whatever the metric's source: a ticket,
an activity, a survey response, or (metrics added later) any other row, shown by its name."""

from django.urls import NoReverseMatch, reverse

from caredesk.care.models import Case
from caredesk.feedback.models import Response
from caredesk.journey.models import Activity


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def present_row(row, access) -> dict:
    slug = access.workspace.slug
    if isinstance(row, Case):
        return {
            "when": row.reported_at,
            "title": f"#{row.number}",
            "detail": row.customer_email or row.title,
            "status": row.get_status_display(),
            "url": _url("ticket_detail", slug, row.number),
        }
    if isinstance(row, Activity):
        return {
            "when": row.occurred_at,
            "title": row.get_media_type_display(),
            "detail": row.queue_name,
            "status": row.get_direction_display() if row.direction else "",
            "url": _url("journey_activity", slug, row.pk),
        }
    if isinstance(row, Response):
        return {
            "when": row.responded_at,
            "title": str(row.score) if row.score is not None else "—",
            "detail": row.customer_email,
            "status": "",
            "url": _url("feedback_response", slug, row.pk),
        }
    when = next(
        (getattr(row, f) for f in ("occurred_at", "started_at", "created_at") if hasattr(row, f)),
        None,
    )
    return {"when": when, "title": str(row), "detail": "", "status": "", "url": ""}
