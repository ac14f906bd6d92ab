"""The filters every figure is computed under: the Insights tab's query string, the drill-down
lists, the Excel exports, Home's links and the metrics API all read them with
`parse_insight_filters`, so one URL means the same rows everywhere.

Parameters (all optional; an empty value means "any"):
  from, to   YYYY-MM-DD, days in the caller's zone (their own, else the workspace's);
             default the last 30 days up to today; `to` inclusive
  grain      day | week | month: the time series' step (default: day up to 62 days, else week)
  segment    segment id (with the segments below it)
  queue      queue name
  channel    chat | call | email | web_form | survey_response
  agent      user id of the agent who handled / owns the row
  team       user id of a coach: the agents they coach
  survey     survey id
  tag        tag id
  topic      topic id
A bad value raises FieldErrors naming the parameter; the caller answers 400 / shows it."""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from caredesk.core import zones
from caredesk.core.errors import FieldErrors
from caredesk.core.limits import text_error
from caredesk.workspaces.access import Access

DEFAULT_DAYS = 30
# A range longer than this is refused: ten years of days is already more than any chart shows.
MAX_DAYS = 3660
GRAINS = ("day", "week", "month")
CHANNELS = ("chat", "call", "email", "web_form", "survey_response")
ID_PARAMS = ("segment", "agent", "team", "survey", "tag", "topic")
PARAMS = ("from", "to", "grain", "queue", "channel", *ID_PARAMS)
MAX_PARAM = 254


@dataclass(frozen=True)
class InsightFilters:
    date_from: dt.date
    date_to: dt.date
    grain: str = "day"
    segment_id: int | None = None
    # The segment's path, read once with the id (the area rule and the filter are prefixes).
    segment_path: str = ""
    queue: str = ""
    channel: str = ""
    agent_id: int | None = None
    team_id: int | None = None
    survey_id: int | None = None
    tag_id: int | None = None
    topic_id: int | None = None
    # The zone the dates are days of (the caller's, else the workspace's).
    tz: dt.tzinfo | None = None

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as instants: midnight of `date_from` to midnight after `date_to`."""
        return zones.days_bounds(self.date_from, self.date_to, self.tz)

    def previous(self) -> "InsightFilters":
        """The same filters over the period of the same length just before this one."""
        return replace(
            self,
            date_from=self.date_from - dt.timedelta(days=self.days),
            date_to=self.date_from - dt.timedelta(days=1),
        )

    def with_(self, **changes) -> "InsightFilters":
        return replace(self, **changes)

    def as_params(self) -> dict[str, str]:
        """The query string that reproduces these filters (links to drill-down, export)."""
        params = {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()}
        if self.grain != default_grain(self.date_from, self.date_to):
            params["grain"] = self.grain
        if self.queue:
            params["queue"] = self.queue
        if self.channel:
            params["channel"] = self.channel
        for name in ID_PARAMS:
            value = getattr(self, f"{name}_id")
            if value is not None:
                params[name] = str(value)
        return params


def default_grain(date_from: dt.date, date_to: dt.date) -> str:
    return "day" if (date_to - date_from).days < 62 else "week"


def _text(params: Mapping, name: str, errors: dict) -> str:
    value = (params.get(name) or "").strip()
    if error := text_error(value, MAX_PARAM):
        errors[name] = error
        return ""
    return value


def _date(params: Mapping, name: str, errors: dict) -> dt.date | None:
    value = _text(params, name, errors)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[name] = _("Not a date (YYYY-MM-DD): %(value)s") % {"value": repr(value)}
        return None


def parse_insight_filters(params: Mapping, access: Access) -> InsightFilters:
    """Read the filters from a query string (QueryDict or dict). Ids are checked to be of
    this workspace / organization: a segment, survey, tag or topic of another one is refused
    as unknown (never shown to exist)."""
    from caredesk.insights.lookups import check_ids

    errors: dict[str, str] = {}
    tz = zones.zone(None)
    today = zones.today(tz)
    date_to = _date(params, "to", errors)
    date_from = _date(params, "from", errors)
    if date_to is None:
        date_to = today if date_from is None or date_from <= today else date_from
    if date_from is None:
        date_from = date_to - dt.timedelta(days=DEFAULT_DAYS - 1)
    if "from" not in errors and "to" not in errors:
        if date_from > date_to:
            errors["to"] = _("The end date is before the start date.")
        elif (date_to - date_from).days + 1 > MAX_DAYS:
            errors["from"] = _("A range of at most %(days)s days.") % {"days": MAX_DAYS}
    grain = _text(params, "grain", errors) or default_grain(date_from, date_to)
    if grain not in GRAINS:
        errors["grain"] = _("One of: %(values)s") % {"values": ", ".join(GRAINS)}
    channel = _text(params, "channel", errors)
    if channel and channel not in CHANNELS:
        errors["channel"] = _("One of: %(values)s") % {"values": ", ".join(CHANNELS)}
    queue = _text(params, "queue", errors)
    ids: dict[str, int | None] = {}
    for name in ID_PARAMS:
        value = _text(params, name, errors)
        if not value:
            ids[name] = None
        elif not re.fullmatch(r"\d{1,18}", value):
            errors[name] = _("Not an id: %(value)s") % {"value": repr(value)}
        else:
            ids[name] = int(value)
    if errors:
        raise FieldErrors(errors)
    segment_path = check_ids(access, ids, queue)
    return InsightFilters(
        date_from=date_from,
        date_to=date_to,
        grain=grain,
        segment_id=ids["segment"],
        segment_path=segment_path,
        queue=queue,
        channel=channel,
        agent_id=ids["agent"],
        team_id=ids["team"],
        survey_id=ids["survey"],
        tag_id=ids["tag"],
        topic_id=ids["topic"],
        tz=tz,
    )
