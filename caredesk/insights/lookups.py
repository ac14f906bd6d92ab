"""Checks the filter ids against the caller's workspace: an id of another workspace or
organization is refused exactly as an id that does not exist."""

from django.utils.translation import gettext as _

from caredesk.analysis.models import Topic
from caredesk.care.models import Tag
from caredesk.core.errors import FieldErrors
from caredesk.feedback.models import Survey
from caredesk.routing.models import Queue
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import Membership, Segment


def check_ids(access: Access, ids: dict, queue: str) -> str:
    """Raise FieldErrors for an unknown id; return the segment's path ("" without one)."""
    ws = access.workspace
    errors: dict[str, str] = {}
    path = ""
    if ids["segment"] is not None:
        path = (
            Segment.objects.filter(pk=ids["segment"], organization_id=ws.organization_id)
            .values_list("path", flat=True)
            .first()
        ) or ""
        if not path:
            errors["segment"] = _("No such segment.")
    for name in ("agent", "team"):
        if (
            ids[name] is not None
            and not Membership.objects.filter(workspace=ws, user_id=ids[name]).exists()
        ):
            errors[name] = _("No such member of this workspace.")
    checks = (
        ("survey", Survey, _("No such survey in this workspace.")),
        ("tag", Tag, _("No such tag in this workspace.")),
        ("topic", Topic, _("No such topic in this workspace.")),
    )
    for name, model, message in checks:
        if ids[name] is not None and not model.objects.filter(pk=ids[name], workspace=ws).exists():
            errors[name] = message
    if queue and not Queue.objects.filter(workspace=ws, name=queue).exists():
        errors["queue"] = _("No such queue.")
    if errors:
        raise FieldErrors(errors)
    return path
