"""A coaching-case scene on top of the quality scene `q`: the coach coaches the agent; agent2 is
the agent's colleague with the ticket inbox, the Excel export and a management area over the
agent's store (Lisbon Store 1) but without `evaluate`; the coach's failing evaluation of the
agent's chat opened a coaching case; an ordinary ticket lies in the same store."""

import io
import re

import openpyxl

from caredesk.care.models import Case
from caredesk.quality.models import CoachAssignment
from caredesk.quality.services import evaluation_create
from caredesk.workspaces import services as ws
from caredesk.workspaces.access import get_access
from caredesk.workspaces.permissions import Perm

from .conftest import all_good


def failing(q):
    return all_good(q, **{str(q.criteria[2]): {"value": 0}})


def build(q, *, coach_named: bool = True):
    if coach_named:
        CoachAssignment.objects.create(workspace=q.ws, coach=q.coach, agent=q.agent)
    for perm in (Perm.INBOX_ACCESS, Perm.EXPORT_CASES):
        ws.permission_set(workspace=q.ws, user=q.agent2, permission=perm, granted=True)
    ws.segment_set_managers(segment=q.world.store1, managers=[q.agent2])
    q.colleague = q.agent2
    access = get_access(q.coach, "support")
    q.evaluation = evaluation_create(
        access=access, scorecard_id=q.card.pk, activity_id=q.chat.pk, answers=failing(q)
    ).evaluation
    q.case = Case.objects.get(pk=q.evaluation.coaching_case_id)
    q.ticket = q.world.make_case(q.ws, segment=q.world.store1)
    return q


def list_numbers(html: str) -> list[int]:
    """The ticket numbers of the ticket list's rows, in order."""
    return [int(n) for n in re.findall(r'<tr id="ticket-(\d+)"', html)]


def inbox_numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="inbox-(\d+)"', html)]


def list_total(html: str) -> int:
    m = re.search(r'data-status="">\s*<span class="n">(\d+)</span>', html)
    return int(m.group(1))


def xlsx_numbers(response) -> list[int]:
    data = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
