import datetime as dt
import itertools

from django.utils import timezone

from caredesk.care.models import Case
from caredesk.care.services import case_numbers_take
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
    return Case.objects.create(
        workspace=workspace,
        number=case_numbers_take(workspace),
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
