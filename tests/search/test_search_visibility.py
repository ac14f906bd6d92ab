"""Who finds what: each hit only when its source is visible to the user, in the same SQL as
the count and the pages."""

import pytest

from caredesk.workspaces import services as ws

from .conftest import WORD, search_ids

pytestmark = pytest.mark.django_db


def found(user, workspace, q=WORD, **params):
    return {
        (h.kind, h.case_id, h.activity_id, h.response_id)
        for h in search_ids(user, workspace, q, **params)
    }


def keys(s):
    return {
        "case_pt": ("case", s.case_pt.pk, None, None),
        "case_it": ("case", s.case_it.pk, None, None),
        "case_bg": ("case", s.case_bg.pk, None, None),
        "coaching": ("case", s.coaching.pk, None, None),
        "comment_bg": ("case_comment", s.case_bg.pk, None, None),
        "comment_it": ("case_comment", s.case_it.pk, None, None),
        "call_bg": ("call", None, s.call_bg.pk, None),
        "email_free": ("email", None, s.email_free.pk, None),
        "email_it_agent": ("email", None, s.email_it_agent.pk, None),
        "form_pt": ("web_form", None, s.form_pt.pk, None),
        "act_comment_bg": ("activity_comment", None, s.call_bg.pk, None),
        "chat_bg": ("chat_message", None, s.chat_bg.pk, None),
        "resp_bg": ("response", None, None, s.resp_bg.pk),
        "resp_it": ("response", None, None, s.resp_it.pk),
    }


def expect(s, *names):
    k = keys(s)
    return {k[n] for n in names}


def test_admin_finds_every_text_of_the_workspace(scene):
    s = scene
    assert found(s.w.admin, s.w.support) == set(keys(s).values())


def test_italy_manager_never_finds_bulgaria(scene):
    s = scene
    assert found(s.w.italy_manager, s.w.support) == expect(
        s, "case_it", "coaching", "comment_it", "email_free", "email_it_agent", "resp_it"
    )
    assert found(s.w.italy_manager, s.w.support, "България") == set()
    assert found(s.w.italy_manager, s.w.support, "сума") == set()


def test_bulgaria_manager_finds_bulgaria_only(scene):
    s = scene
    assert found(s.bg_manager, s.w.support) == expect(
        s, "case_bg", "comment_bg", "call_bg", "email_free", "act_comment_bg", "chat_bg", "resp_bg"
    )


def test_lisbon_manager(scene):
    s = scene
    assert found(s.w.manager, s.w.support) == expect(s, "case_pt", "email_free", "form_pt")


def test_agent_finds_what_they_handled_and_the_free_journey(scene):
    s = scene
    assert found(s.w.agent, s.w.support) == expect(s, "email_free", "email_it_agent")


def test_coaching_ticket_hidden_from_an_area_member_who_does_not_evaluate(scene):
    s = scene
    # The agent manages Italy but holds no evaluate permission: Italy's tickets, not the
    # coaching ticket about a colleague.
    ws.segment_set_managers(segment=s.w.italy, managers=[s.w.italy_manager, s.w.agent])
    got = found(s.w.agent, s.w.support)
    assert keys(s)["case_it"] in got
    assert keys(s)["coaching"] not in got


def test_owner_and_share_make_a_ticket_found(scene):
    s = scene
    s.case_bg.owner = s.w.agent
    s.case_bg.save()
    assert expect(s, "case_bg", "comment_bg", "call_bg", "act_comment_bg", "chat_bg") <= found(
        s.w.agent, s.w.support
    )
    assert keys(s)["resp_bg"] not in found(s.w.agent, s.w.support)


def test_moving_a_ticket_changes_who_finds_it_at_once(scene):
    s = scene
    s.case_bg.segment = s.w.italy
    s.case_bg.segment_path = s.w.italy.path
    s.case_bg.save()
    got = found(s.w.italy_manager, s.w.support)
    assert expect(s, "case_bg", "comment_bg", "call_bg", "chat_bg") <= got
    assert keys(s)["case_bg"] not in found(s.bg_manager, s.w.support)


def test_another_organization_never_finds_acme(scene):
    s = scene
    other = found(s.w.outsider, s.w.other_ws)
    assert other == {
        ("case", s.other_case.pk, None, None),
        (
            "email",
            None,
            next(
                iter(
                    h.activity_id
                    for h in search_ids(s.w.outsider, s.w.other_ws, WORD)
                    if h.kind == "email"
                )
            ),
            None,
        ),
    }
    # An admin of both acme workspaces: the sales workspace has none of support's text.
    assert found(s.w.admin, s.w.sales) == set()


def test_counts_and_pages_agree(scene):
    from caredesk.search.selectors import PAGE_SIZE, parse_search, search
    from caredesk.workspaces.access import get_access

    s = scene
    for i in range(PAGE_SIZE + 5):
        s.w.make_case(s.w.support, segment=s.w.italy, customer_comment=f"bulk {WORD} {i}")
    access = get_access(s.w.italy_manager, "support", require="use_care")
    query, filters, _ = parse_search({"q": WORD}, access)
    first, second = search(access, query, filters, 1), search(access, query, filters, 2)
    assert first.total == second.total == PAGE_SIZE + 5 + 6
    assert len(first.hits) == PAGE_SIZE
    assert len(second.hits) == 11
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    assert search(access, query, filters, 3).hits == []
