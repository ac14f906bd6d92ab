"""Settings → Appeals: the window and the named arbitrator, manage_scorecards, audited; bad
input named with nothing saved."""

from caredesk.audit.models import AuditEntry
from caredesk.workspaces.models import Workspace

URL = "/w/support/settings/quality/appeals/"


def saved(q):
    ws = Workspace.objects.get(pk=q.ws.pk)
    return ws.appeal_days, ws.appeal_arbitrator_id, AuditEntry.objects.filter(workspace=ws).count()


def test_an_admin_sets_the_window_and_the_arbitrator(q, as_user):
    admin = as_user(q.admin)
    page = admin.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="appeal_days"' in body and 'value="7"' in body
    # The arbitrator is chosen among the members who may decide appeals.
    assert [u.username for u in page.context["holders"]] == [
        "admin",
        "coach",
        "italymgr",
        "manager",
        "manager2",
    ]
    r = admin.post(URL, {"appeal_days": "14", "arbitrator": str(q.coach.pk)})
    assert (r.status_code, r["Location"]) == (302, URL)
    assert saved(q)[:2] == (14, q.coach.pk)
    assert list(
        AuditEntry.objects.filter(object_type="workspace", object_id=q.ws.pk).values_list(
            "actor", "action", "field", "old_value", "new_value"
        )
    ) == [
        (q.admin.pk, "appeal_settings", "appeal_days", "7", "14"),
        (q.admin.pk, "appeal_settings", "appeal_arbitrator", "", "Coach"),
    ]
    # None again.
    assert admin.post(URL, {"appeal_days": "14", "arbitrator": ""}).status_code == 302
    assert saved(q)[:2] == (14, None)


def test_bad_settings_are_named_and_nothing_is_saved(q, as_user):
    admin = as_user(q.admin)
    before = saved(q)
    for data, field in (
        ({"appeal_days": "0", "arbitrator": ""}, "appeal_days"),
        ({"appeal_days": "91", "arbitrator": ""}, "appeal_days"),
        ({"appeal_days": "seven", "arbitrator": ""}, "appeal_days"),
        # The agent may not decide appeals; an outsider is no member.
        ({"appeal_days": "7", "arbitrator": str(q.agent.pk)}, "arbitrator"),
        ({"appeal_days": "7", "arbitrator": str(q.world.outsider.pk)}, "arbitrator"),
        ({"appeal_days": "7", "arbitrator": "x"}, "arbitrator"),
    ):
        r = admin.post(URL, data)
        assert r.status_code == 400, data
        assert set(r.context["errors"]) == {field}
        assert "Nothing was saved" in r.content.decode()
        assert saved(q) == before


def test_settings_need_manage_scorecards(q, as_user):
    # A manager holds manage_scorecards without manage_care: the page is theirs too.
    assert as_user(q.manager).get(URL).status_code == 200
    before = saved(q)
    for user in (q.agent, q.agent2):
        assert as_user(user).get(URL).status_code == 403
        assert as_user(user).post(URL, {"appeal_days": "30"}).status_code == 403
    # Another organization's admin reaches only their own workspace called "support".
    r = as_user(q.world.outsider).post(URL, {"appeal_days": "30", "arbitrator": ""})
    assert r.status_code == 302
    assert saved(q) == before
    assert Workspace.objects.get(pk=q.world.other_ws.pk).appeal_days == 30
