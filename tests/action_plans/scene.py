"""A small scene for the action plan tests: known tickets in Lisbon and Italy over known days,
and a Bulgaria segment whose manager sees nothing of Italy's."""

import datetime as dt

from caredesk.action_plans import services
from caredesk.core import zones
from caredesk.workspaces import services as ws
from caredesk.workspaces.access import get_access
from caredesk.workspaces.permissions import Perm, UserKind

DAY = dt.timedelta(days=1)


def access_of(user, workspace):
    return get_access(user, workspace.slug, require=Perm.USE_CARE)


def at_noon(day: dt.date) -> dt.datetime:
    return zones.day_start(day, zones.zone(None)) + dt.timedelta(hours=12)


def add_bulgaria(world):
    world.bulgaria = ws.segment_create(organization=world.org, name="Bulgaria")
    world.bulgaria_manager = ws.user_create(
        organization=world.org, username="bgmgr", password="pw-12345678", first_name="Bg"
    )
    ws.membership_set(workspace=world.support, user=world.bulgaria_manager, kind=UserKind.MANAGER)
    ws.segment_set_managers(segment=world.bulgaria, managers=[world.bulgaria_manager])
    return world


def make_plan(world, user=None, **fields):
    fields.setdefault("title", "Cut refund waiting time")
    return services.plan_create(access=access_of(user or world.admin, world.support), **fields)
