"""Settings pages read each list once: the query count does not grow with members or segments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caredesk.workspaces import services as ws


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code == 200
    return len(q)


@pytest.mark.parametrize("url", ["/w/support/settings/members/", "/w/support/settings/segments/"])
def test_page_queries_do_not_grow_with_rows(world, as_user, url):
    client = as_user(world.admin)
    before = _queries(client, url)
    for i in range(10):
        u = ws.user_create(organization=world.org, username=f"extra{i}", password="pw-12345678")
        ws.membership_set(workspace=world.support, user=u, kind="agent")
        seg = ws.segment_create(organization=world.org, name=f"Store {i}", parent=world.italy)
        ws.segment_set_managers(segment=seg, managers=[u])
    assert _queries(client, url) == before
