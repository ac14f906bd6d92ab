"""The query string of "Create action plan" links, from Insights and Conversations: the
metric, where it was clicked (origin), a suggested title and the filters of the number, so
the plan keeps exactly the slice it came from. The link itself is built in the templates
(`{% url 'action_plan_create' %}`): action plans sit above this app, which never imports them."""

from urllib.parse import urlencode

from django.utils.translation import gettext as _

from caredesk.insights.catalogue import CATALOGUE
from caredesk.insights.filters import InsightFilters
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import Membership, Segment

# The Insights filters a plan keeps (the grain is the chart's, not the slice's).
KEPT = ("from", "to", "segment", "queue", "channel", "agent", "team", "survey", "tag", "topic")


def title(metric: str, where: str = "") -> str:
    label = CATALOGUE[metric].label if metric in CATALOGUE else metric
    if where:
        return _("Improve %(metric)s — %(slice)s") % {"metric": label, "slice": where}
    return _("Improve %(metric)s") % {"metric": label}


def slice_name(access: Access, filters: InsightFilters) -> str:
    """What the filters narrow to, in a word for the title: the segment, else the queue,
    else the agent; "" for the whole area."""
    if filters.segment_id:
        seg = Segment.objects.filter(
            pk=filters.segment_id, organization_id=access.workspace.organization_id
        ).first()
        if seg:
            return seg.name
    if filters.queue:
        return filters.queue
    if filters.agent_id:
        m = (
            Membership.objects.filter(workspace=access.workspace, user_id=filters.agent_id)
            .select_related("user")
            .first()
        )
        if m:
            return str(m.user)
    return ""


def plan_query(
    filters: InsightFilters, *, origin: str, metric: str, title: str, **slice_: str
) -> str:
    """origin, metric, title and the filters (a row's own slice replacing the page's)."""
    params = {k: v for k, v in filters.as_params().items() if k in KEPT}
    params.update({k: str(v) for k, v in slice_.items() if k in KEPT})
    return urlencode({"origin": origin, "metric": metric, "title": title, **params})
