"""Fixtures of the Conversations tests: a taxonomy, Bulgaria with its own manager, and
helpers that make each source arrive through the app's own ways in (API, services), with
the after-commit work (the analysis tasks; huey runs them at once in tests) executed."""

import json

import pytest

from caredesk.analysis.models import Topic
from caredesk.routing import services as routing
from caredesk.workspaces import services as ws
from caredesk.workspaces.permissions import UserKind

BASE = "/api/v1/workspaces/support"


def send(client, method, url, body=None):
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the listeners that queue the analysis)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def topics(world):
    t = {}
    t["billing"] = Topic.objects.create(
        workspace=world.support,
        name="Billing",
        names={"pt": "Faturação"},
        phrases={"en": ["invoice", "charged twice"], "pt": ["fatura"], "it": ["fattura"]},
    )
    t["refund"] = Topic.objects.create(
        workspace=world.support,
        name="Refund",
        parent=t["billing"],
        phrases={
            "en": ["refund"],
            "pt": ["reembolso"],
            "it": ["rimborso"],
            "bg": ["възстановяване"],
        },
    )
    t["delivery"] = Topic.objects.create(
        workspace=world.support,
        name="Delivery",
        phrases={"en": ["delivery", "parcel"], "bg": ["доставка"]},
    )
    return t


@pytest.fixture
def bulgaria(world):
    seg = ws.segment_create(organization=world.org, name="Bulgaria")
    mgr = ws.user_create(
        organization=world.org, username="bgmgr", password="pw-12345678", first_name="Bg"
    )
    ws.membership_set(workspace=world.support, user=mgr, kind=UserKind.MANAGER)
    ws.segment_set_managers(segment=seg, managers=[mgr])
    seg.manager = mgr
    return seg


def queue_in(world, name, segment):
    return routing.queue_create(workspace=world.support, name=name, segment=segment.pk)
