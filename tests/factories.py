import datetime as dt
import itertools

from django.utils import timezone

from caredesk.care.models import Case
from caredesk.customers.services import contact_for_email

_seq = itertools.count(1)


def make_case(
    workspace,
    *,
    segment=None,
    owner=None,
    priority="medium",
    status="new",
    reported_at=None,
    customer_email=None,
    customer_comment="",
    origin="manual",
    last_activity_at=None,
    days_ago=None,
) -> Case:
    """A ticket written straight to the database (no audit), for setting up a scene fast."""
    if days_ago is not None:
        reported_at = timezone.now() - dt.timedelta(days=days_ago)
    reported_at = reported_at or timezone.now()
    n = next(_seq)
    email = customer_email or f"customer{n}@example.com"
    from django.db.models import F

    from caredesk.workspaces.models import Workspace

    Workspace.objects.filter(pk=workspace.pk).update(next_case_number=F("next_case_number") + 1)
    number = Workspace.objects.values_list("next_case_number", flat=True).get(pk=workspace.pk) - 1
    return Case.objects.create(
        workspace=workspace,
        number=number,
        contact=contact_for_email(organization=workspace.organization, email=email),
        customer_email=email,
        source_segment=segment,
        segment=segment,
        segment_path=segment.path if segment else "",
        owner=owner,
        priority=priority,
        status=status,
        origin=origin,
        reported_at=reported_at,
        customer_comment=customer_comment,
        last_activity_at=last_activity_at or reported_at,
    )
