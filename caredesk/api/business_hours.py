"""Business hours over REST: a workspace's opening hours per weekday, its SLA targets and its
holidays (manage_care). Writes go through caredesk.insights.business_hours, as the Settings
page's; a bad week, target or date is a 400 naming the field (e.g. "week.2") and changes
nothing."""

import datetime as dt

from ninja import Router, Schema, Status
from pydantic import Field

from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS, In, Int, Text
from caredesk.insights import business_hours
from caredesk.workspaces.permissions import Perm

router = Router()

WS = "/workspaces/{workspace}"
TAGS = ["business hours"]
_WEEK = (
    'Weekday "0" (Monday) … "6" (Sunday) → intervals [["09:00", "12:30"], ["13:30", "18:00"]] '
    "in the workspace's time zone; an empty list (or a missing day) is a closed day."
)


class HolidayOut(Schema):
    id: int
    date: dt.date
    name: str


class BusinessHoursOut(Schema):
    configured: bool = Field(
        description="False: never saved; every hour counts (open around the clock) and the "
        "week shown is only the suggested default"
    )
    time_zone: str = Field(description="The workspace's zone (changed in its general settings)")
    week: dict[str, list[list[str]]] = Field(description=_WEEK)
    first_response_target_minutes: int
    resolution_target_hours: int
    holidays: list[HolidayOut]


class BusinessHoursIn(In):
    week: dict[str, list[list[str]]] = Field(description=_WEEK)
    first_response_target_minutes: Int = Field(description="Business minutes, 1–43200")
    resolution_target_hours: Int = Field(description="Business hours, 1–8760")


class HolidayIn(In):
    date: dt.date
    name: Text(business_hours.MAX_HOLIDAY_NAME) = ""


def _out(workspace) -> dict:
    hours = business_hours.hours_of(workspace)
    return {
        "configured": hours.pk is not None,
        "time_zone": workspace.time_zone,
        "week": {str(d): hours.week.get(str(d), []) for d in range(7)},
        "first_response_target_minutes": hours.first_response_target_minutes,
        "resolution_target_hours": hours.resolution_target_hours,
        "holidays": [
            {"id": h.pk, "date": h.date, "name": h.name}
            for h in business_hours.holidays_of(workspace)
        ],
    }


@router.get(
    f"{WS}/business-hours",
    response={200: BusinessHoursOut, **ERRORS},
    tags=TAGS,
    summary="The workspace's business hours, SLA targets and holidays",
)
def business_hours_get(request, workspace: str):
    access = api_access(request, workspace, require=Perm.MANAGE_CARE)
    return _out(access.workspace)


@router.put(
    f"{WS}/business-hours",
    response={200: BusinessHoursOut, **ERRORS},
    tags=TAGS,
    summary="Replace the week and the SLA targets (measures of the last 180 days follow)",
)
def business_hours_put(request, workspace: str, payload: BusinessHoursIn):
    access = api_access(request, workspace, require=Perm.MANAGE_CARE)
    business_hours.hours_update(
        access=access,
        week=payload.week,
        first_response_target_minutes=payload.first_response_target_minutes,
        resolution_target_hours=payload.resolution_target_hours,
    )
    return _out(access.workspace)


@router.post(
    f"{WS}/business-hours/holidays",
    response={201: HolidayOut, **ERRORS},
    tags=TAGS,
    summary="Add a holiday (a closed day of the workspace)",
)
def holiday_create(request, workspace: str, payload: HolidayIn):
    access = api_access(request, workspace, require=Perm.MANAGE_CARE)
    h = business_hours.holiday_add(access=access, date=payload.date, name=payload.name)
    return Status(201, {"id": h.pk, "date": h.date, "name": h.name})


@router.delete(
    f"{WS}/business-hours/holidays/{{holiday_id}}",
    response={204: None, **ERRORS},
    tags=TAGS,
    summary="Remove a holiday",
)
def holiday_delete(request, workspace: str, holiday_id: int):
    access = api_access(request, workspace, require=Perm.MANAGE_CARE)
    business_hours.holiday_remove(
        access=access, holiday=business_hours.holiday_get(access, holiday_id)
    )
    return Status(204, None)
