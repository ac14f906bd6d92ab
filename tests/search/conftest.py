"""A scene for the search tests: the same rare word ("zebracorn") in every kind of text, in
tickets of Lisbon, Italy and Bulgaria, on a coaching ticket, on activities with and without a
ticket, in a chat, in survey verbatims, and in another organization."""

import pytest

from caredesk.care.models import CaseComment, Origin
from caredesk.feedback.models import Response
from caredesk.feedback.services import survey_create
from caredesk.journey.models import Activity, ActivityComment
from caredesk.routing.models import Conversation, Message
from caredesk.routing.services import default_queue
from caredesk.workspaces import services as ws
from caredesk.workspaces.access import get_access
from caredesk.workspaces.permissions import Perm

WORD = "zebracorn"


class Scene:
    pass


def activity(workspace, media_type, body, *, case=None, agent=None, subject="", **fields):
    return Activity.objects.create(
        workspace=workspace,
        media_type=media_type,
        case=case,
        agent=agent,
        subject=subject,
        body=body,
        **fields,
    )


def chat(workspace, *texts, case=None, agent=None):
    conv = Conversation.objects.create(workspace=workspace, queue=default_queue(workspace))
    for i, text in enumerate(texts):
        Message.objects.create(conversation=conv, sender="customer", client_id=f"c{i}", body=text)
    act = activity(workspace, "chat", "", case=case, agent=agent, conversation=conv)
    return conv, act


def response(survey, comment, segment=None):
    return Response.objects.create(
        workspace=survey.workspace,
        survey=survey,
        score=3,
        comment=comment,
        segment=segment,
        segment_path=segment.path if segment else "",
    )


def search_ids(access_or_user, workspace, q, **params):
    """The (kind, source id) of every hit, through all pages of the selector."""
    from caredesk.search.selectors import parse_search, search

    access = access_or_user
    if not hasattr(access, "workspace"):
        access = get_access(access_or_user, workspace.slug, require=Perm.USE_CARE)
    query, filters, _page = parse_search({"q": q, **params}, access)
    out, page = [], 1
    while True:
        result = search(access, query, filters, page)
        out += result.hits
        if not result.has_next:
            break
        page += 1
    assert len(out) == result.total
    return out


@pytest.fixture
def scene(world):
    s = Scene()
    w = world
    s.w = w
    s.bulgaria = ws.segment_create(organization=w.org, name="Bulgaria")
    s.bg_manager = ws.user_create(
        organization=w.org, username="bgmgr", password="pw-12345678", first_name="Bg"
    )
    from caredesk.workspaces.permissions import UserKind

    ws.membership_set(workspace=w.support, user=s.bg_manager, kind=UserKind.MANAGER)
    ws.segment_set_managers(segment=s.bulgaria, managers=[s.bg_manager])
    s.agent2 = ws.user_create(organization=w.org, username="agent2", password="pw-12345678")
    ws.membership_set(workspace=w.support, user=s.agent2, kind=UserKind.AGENT)

    sup = w.support
    s.case_pt = w.make_case(sup, segment=w.lisbon, customer_comment=f"Lisbon {WORD} blender")
    s.case_it = w.make_case(sup, segment=w.italy, customer_comment=f"Italia {WORD} rimborso")
    s.case_bg = w.make_case(sup, segment=s.bulgaria, customer_comment=f"България {WORD} сума")
    s.case_bg.title = "Възстановяване на сума"
    s.case_bg.save()
    s.coaching = w.make_case(
        sup, segment=w.italy, origin=Origin.COACHING, customer_comment=f"coaching {WORD}"
    )
    s.coaching.about_agent = s.agent2
    s.coaching.save()
    s.comment_bg = CaseComment.objects.create(case=s.case_bg, body=f"comment bg {WORD}")
    s.comment_it = CaseComment.objects.create(case=s.case_it, body=f"commento {WORD}")
    s.call_bg = activity(sup, "call", f"Customer: my {WORD} is broken", case=s.case_bg)
    s.email_free = activity(sup, "email", f"free email {WORD}", subject="Hello")
    s.email_it_agent = activity(
        sup, "email", f"agent handled {WORD}", case=s.case_it, agent=w.agent
    )
    s.form_pt = activity(sup, "web_form", f"form {WORD}", case=s.case_pt)
    s.act_comment_bg = ActivityComment.objects.create(activity=s.call_bg, body=f"note {WORD}")
    s.conv_bg, s.chat_bg = chat(sup, f"chat {WORD} one", "hello", case=s.case_bg)
    survey = survey_create(workspace=sup, kind="nps", name="NPS")
    s.resp_bg = response(survey, f"verbatim {WORD} bg", s.bulgaria)
    s.resp_it = response(survey, f"verbatim {WORD} it", w.italy)
    # Another organization: the same word, never found from acme.
    other = w.make_case(w.other_ws, customer_comment=f"other {WORD}")
    activity(w.other_ws, "email", f"other {WORD}")
    s.other_case = other
    return s
