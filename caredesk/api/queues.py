"""Routing over REST: my presence and capacity, queues with live counts, skills, and the
agents' capacity and skill levels (writes need manage_care, except one's own presence).
Reads through caredesk.desk_settings.selectors, writes through caredesk.routing.services;
the same settings have a page (Settings → Queues & skills)."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field, StrictBool, StrictStr

from caredesk import events
from caredesk.api.access import api_access
from caredesk.api.desk import my_agent_profile
from caredesk.api.schemas import ERRORS, In, Int, Text, UserRef, user_ref
from caredesk.core.errors import FieldErrors, choice_errors
from caredesk.desk_settings import selectors
from caredesk.routing import services
from caredesk.routing.models import AgentProfile, Presence, Queue
from caredesk.workspaces.access import Access, workspace_permissions
from caredesk.workspaces.models import User
from caredesk.workspaces.permissions import Perm

router = Router()

WS = "/workspaces/{workspace}"
MAX_SKILLS = 50


class SkillLevel(Schema):
    name: str
    level: int


class PresenceOut(Schema):
    presence: str = Field(description=f"One of: {', '.join(Presence.values)}")
    capacity: int
    active: int
    offered: int
    skills: list[SkillLevel]


class PresenceIn(In):
    presence: StrictStr | None = Field(None, description=f"One of: {', '.join(Presence.values)}")
    capacity: Int | None = Field(None, description="Conversations at once, 0–100")


class QueueOut(Schema):
    id: int
    name: str
    priority: int
    is_default: bool
    required_skills: list[str]
    waiting: int
    offered: int
    active: int
    longest_wait_seconds: int = Field(description="Of the conversations waiting or offered")


class QueueIn(In):
    name: StrictStr = Field(max_length=100)
    priority: Int = Field(0, description="From -1000 to 1000")
    required_skills: list[Text(100)] = Field(
        default_factory=list, max_length=MAX_SKILLS, description="Skill names"
    )
    is_default: StrictBool = False


class QueuePatch(In):
    name: StrictStr | None = Field(None, max_length=100)
    priority: Int | None = Field(None, description="From -1000 to 1000")
    required_skills: list[Text(100)] | None = Field(
        None, max_length=MAX_SKILLS, description="Replaces the required skills"
    )
    is_default: StrictBool | None = None


class SkillOut(Schema):
    id: int
    name: str


class SkillIn(In):
    name: Text(100)


class AgentOut(Schema):
    user: UserRef
    presence: str
    capacity: int
    active: int
    offered: int
    skills: list[SkillLevel]


class AgentIn(In):
    capacity: Int | None = Field(None, description="Conversations at once, 0–100")
    skills: dict[str, Int] | None = Field(
        None,
        max_length=MAX_SKILLS,
        description="Skill name → level 1–5; replaces the agent's skills",
    )


# -- helpers ---------------------------------------------------------------------------------


def _care(request, workspace: str) -> Access:
    return api_access(request, workspace, require=Perm.USE_CARE)


def _manage(request, workspace: str) -> Access:
    return api_access(request, workspace, require=Perm.MANAGE_CARE)


def _levels(rows: list[dict]) -> list[dict]:
    return [{"name": r["name"], "level": r["level"]} for r in rows]


def queue_out(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != "queue"}


def agent_out(row: dict) -> dict:
    return {
        "user": user_ref(row["user"]),
        "presence": row["presence"],
        "capacity": row["capacity"],
        "active": row["active"],
        "offered": row["offered"],
        "skills": _levels(row["skills"]),
    }


def _known_skills(workspace, names, field: str) -> list[str]:
    """Settings name existing skills; a typo must not create a new one."""
    known = {s.name.lower(): s.name for s in selectors.skills(workspace)}
    unknown = [n for n in names if n.strip().lower() not in known]
    if unknown:
        raise FieldErrors.one(field, _("No such skill: %(names)s.") % {"names": ", ".join(unknown)})
    return [known[n.strip().lower()] for n in names]


def _queue_row(workspace, queue_id: int) -> dict:
    return queue_out(next(r for r in selectors.queue_rows(workspace) if r["id"] == queue_id))


# -- presence --------------------------------------------------------------------------------


def _presence_out(access: Access) -> dict:
    rows = selectors.agent_rows(access.workspace, user_id=access.user.pk)
    if not rows:  # no desk opened yet: the profile a desk would start with
        fresh = AgentProfile(workspace=access.workspace, user=access.user)
        return {
            "presence": fresh.presence,
            "capacity": fresh.capacity,
            "active": 0,
            "offered": 0,
            "skills": [],
        }
    row = agent_out(rows[0])
    del row["user"]
    return row


@router.get(
    f"{WS}/presence",
    response={200: PresenceOut, **ERRORS},
    tags=["presence"],
    summary="My presence, capacity and load in this workspace",
)
def presence_get(request, workspace: str):
    return _presence_out(_care(request, workspace))


@router.put(
    f"{WS}/presence",
    response={200: PresenceOut, **ERRORS},
    tags=["presence"],
    summary="Set my presence and/or capacity",
    description="Becoming available offers waiting conversations to whoever fits.",
)
def presence_set(request, workspace: str, payload: PresenceIn):
    access = _care(request, workspace)
    errors = {}
    if payload.presence is not None:
        errors.update(choice_errors((payload.presence, "presence", Presence)))
    if payload.capacity is not None and not 0 <= payload.capacity <= 100:
        errors["capacity"] = _("Capacity is a whole number from 0 to 100.")
    if errors:
        raise FieldErrors(errors)
    agent = my_agent_profile(access)
    if payload.capacity is not None:
        agent = services.agent_profile_set(
            workspace=access.workspace, user=access.user, capacity=payload.capacity
        )
    if payload.presence is not None:
        agent = services.agent_presence_set(agent=agent, presence=payload.presence)
        events.emit(events.AgentPresence(agent=agent.pk, presence=agent.presence, origin="api"))
    if agent.presence == Presence.AVAILABLE:
        services.offer_waiting(workspace=access.workspace)
    return _presence_out(access)


# -- queues and skills -----------------------------------------------------------------------


@router.get(
    f"{WS}/queues",
    response={200: list[QueueOut], **ERRORS},
    tags=["queues"],
    summary="Queues with live counts (waiting, offered, active, longest wait)",
)
def queue_list(request, workspace: str):
    return [queue_out(r) for r in selectors.queue_rows(_care(request, workspace).workspace)]


@router.post(
    f"{WS}/queues",
    response={201: QueueOut, **ERRORS},
    tags=["queues"],
    summary="Create a queue (manage_care)",
)
def queue_create(request, workspace: str, payload: QueueIn):
    access = _manage(request, workspace)
    errors = {}
    try:
        skills = _known_skills(access.workspace, payload.required_skills, "required_skills")
    except FieldErrors as exc:
        errors.update(exc.errors)
    if abs(payload.priority) > services.MAX_PRIORITY:
        errors["priority"] = _("Priority is a whole number from -1000 to 1000.")
    if errors:
        raise FieldErrors(errors)
    queue = services.queue_create(
        workspace=access.workspace,
        name=payload.name,
        priority=payload.priority,
        required_skills=skills,
        is_default=payload.is_default,
    )
    return Status(201, _queue_row(access.workspace, queue.pk))


@router.patch(
    f"{WS}/queues/{{queue_id}}",
    response={200: QueueOut, **ERRORS},
    tags=["queues"],
    summary="Change a queue (manage_care; only the fields sent)",
)
def queue_update(request, workspace: str, queue_id: int, payload: QueuePatch):
    access = _manage(request, workspace)
    queue = Queue.objects.filter(workspace=access.workspace, pk=queue_id).first()
    if queue is None:
        raise Http404(_("No such queue"))
    data = payload.dict(exclude_unset=True)
    if data.get("required_skills") is not None:
        data["required_skills"] = _known_skills(
            access.workspace, data["required_skills"], "required_skills"
        )
    services.queue_update(queue=queue, **data)
    return _queue_row(access.workspace, queue.pk)


@router.get(
    f"{WS}/skills", response={200: list[SkillOut], **ERRORS}, tags=["queues"], summary="Skills"
)
def skill_list(request, workspace: str):
    access = _care(request, workspace)
    return [{"id": s.pk, "name": s.name} for s in selectors.skills(access.workspace)]


@router.post(
    f"{WS}/skills",
    response={201: SkillOut, **ERRORS},
    tags=["queues"],
    summary="Create a skill (manage_care)",
)
def skill_create(request, workspace: str, payload: SkillIn):
    access = _manage(request, workspace)
    skill = services.skill_create(workspace=access.workspace, name=payload.name)
    return Status(201, {"id": skill.pk, "name": skill.name})


# -- agents ----------------------------------------------------------------------------------


@router.get(
    f"{WS}/agents",
    response={200: list[AgentOut], **ERRORS},
    tags=["presence"],
    summary="Agents' routing profiles: presence, capacity, load and skills",
)
def agent_list(request, workspace: str):
    return [agent_out(r) for r in selectors.agent_rows(_care(request, workspace).workspace)]


@router.put(
    f"{WS}/agents/{{user_id}}",
    response={200: AgentOut, **ERRORS},
    tags=["presence"],
    summary="Set an agent's capacity and skills with levels (manage_care)",
)
def agent_set(request, workspace: str, user_id: int, payload: AgentIn):
    access = _manage(request, workspace)
    user = User.objects.filter(
        pk=user_id, organization_id=access.workspace.organization_id, is_active=True
    ).first()
    if user is None or Perm.USE_CARE not in workspace_permissions(user, access.workspace)[0]:
        raise Http404(_("No such agent"))
    errors = {}
    skills = None
    if payload.capacity is not None and not 0 <= payload.capacity <= 100:
        errors["capacity"] = _("Capacity is a whole number from 0 to 100.")
    if payload.skills is not None:
        bad = [n for n, level in payload.skills.items() if not 1 <= level <= 5]
        try:
            names = _known_skills(access.workspace, list(payload.skills), "skills")
            skills = dict(zip(names, payload.skills.values(), strict=True))
        except FieldErrors as exc:
            errors.update(exc.errors)
        if bad:
            errors["skills"] = _("A skill level is from 1 to 5 (%(names)s).") % {
                "names": ", ".join(bad)
            }
    if errors:
        raise FieldErrors(errors)
    services.agent_profile_set(
        workspace=access.workspace, user=user, capacity=payload.capacity, skills=skills
    )
    return agent_out(selectors.agent_rows(access.workspace, user.pk)[0])
