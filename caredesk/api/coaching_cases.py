"""Coaching cases opened by hand: a ticket about one agent's work (needs `evaluate`). The case
is then read, listed (?coaching=1) and worked like any ticket under …/tickets."""

from ninja import Router, Status
from pydantic import Field

from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS, Id, In, Text, TicketOut, ticket_out
from caredesk.care import selectors
from caredesk.core.limits import MAX_BODY
from caredesk.quality.coaching_cases import coaching_case_create
from caredesk.workspaces.permissions import Perm

router = Router(tags=["coaching cases"])


class CoachingCaseIn(In):
    agent: Id = Field(description="The member whose work the case is about.")
    comment: Text(MAX_BODY) = Field(description="What the coaching is about; required.")
    title: Text(200) = Field("", description='Empty: "Coaching: <agent>".')
    activity: Id | None = Field(None, description="The activity (chat, call…) it comes from.")
    ticket: Id | None = Field(None, description="The number of the ticket it comes from.")
    evaluation: Id | None = Field(
        None, description="An evaluation to attach (when it has no coaching case yet)."
    )


@router.post(
    "/workspaces/{workspace}/coaching-cases",
    response={201: TicketOut, **ERRORS},
    summary="Open a coaching case about an agent (needs evaluate)",
)
def coaching_case_open(request, workspace: str, payload: CoachingCaseIn):
    access = api_access(request, workspace, require=Perm.EVALUATE)
    case = coaching_case_create(
        access=access,
        agent_id=payload.agent,
        comment=payload.comment,
        title=payload.title,
        activity_id=payload.activity,
        ticket_number=payload.ticket,
        evaluation_id=payload.evaluation,
    )
    return Status(201, ticket_out(selectors.case_as_written(case)))
