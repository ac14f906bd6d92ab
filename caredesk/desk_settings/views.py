"""Settings → Queues & skills: the workspace's queues (name, priority, required skills,
default), its skills, and each agent's capacity and skill levels. manage_care only.

Forms parse input; writes go through caredesk.routing.services, whose FieldErrors show next to
the fields. Forms post with htmx (the page section is swapped in place, 400 with the errors)
and work without JavaScript too (redirect with a message, or the page with status 400)."""

from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from caredesk.core.errors import FieldErrors, show_errors
from caredesk.core.htmx import INVALID, is_htmx
from caredesk.desk_settings import selectors
from caredesk.routing import services
from caredesk.routing.models import AgentProfile, Presence, Queue
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.selectors import segment_tree
from caredesk.workspaces.views import settings_sections
from caredesk.workspaces.web import render_ws, workspace_view

LEVELS = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]


# --------------------------------------------------------------------------- forms


class QueueForm(forms.Form):
    name = forms.CharField(max_length=100, label=gettext_lazy("Name"))
    priority = forms.IntegerField(
        min_value=-services.MAX_PRIORITY,
        max_value=services.MAX_PRIORITY,
        initial=0,
        label=gettext_lazy("Priority"),
        widget=forms.NumberInput(attrs={"min": -1000, "max": 1000}),
    )
    required_skills = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Required skills"),
    )
    is_default = forms.BooleanField(required=False, label=gettext_lazy("Default queue"))
    # Checked by the service (a segment of the organization).
    segment = forms.CharField(required=False, label=gettext_lazy("Segment of its tickets"))

    def __init__(self, *args, skills, segments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_skills"].choices = [(s.name, s.name) for s in skills]
        self.segment_choices = [(str(s.pk), "\u00a0\u00a0" * s.depth + s.name) for s in segments]


class SkillForm(forms.Form):
    name = forms.CharField(max_length=100, label=gettext_lazy("New skill"))


class AgentForm(forms.Form):
    capacity = forms.IntegerField(
        min_value=0,
        max_value=100,
        label=gettext_lazy("Capacity"),
        widget=forms.NumberInput(attrs={"min": 0, "max": 100}),
    )

    def __init__(self, *args, skills, form_id="", **kwargs):
        super().__init__(*args, **kwargs)
        self.skill_names = {}
        for s in skills:
            key = f"skill_{s.pk}"
            self.fields[key] = forms.TypedChoiceField(
                choices=LEVELS, required=False, coerce=int, empty_value=None, label=s.name
            )
            self.skill_names[key] = s.name
        # The row's inputs sit in table cells, outside their <form>: tie them to it by id.
        for field in self.fields.values():
            field.widget.attrs["form"] = form_id

    def skill_fields(self):
        return [self[k] for k in self.skill_names]

    def levels(self) -> dict[str, int]:
        return {
            name: self.cleaned_data[key]
            for key, name in self.skill_names.items()
            if self.cleaned_data.get(key) is not None
        }


# --------------------------------------------------------------------------- page


def _page(request, access, *, bad=None, bad_key="", notice="", status=200):
    """The whole page; `bad` is the one form that failed (keyed by `bad_key`), shown with its
    errors in place of the fresh one."""
    workspace = access.workspace
    skills = selectors.skills(workspace)
    segments = segment_tree(workspace.organization_id)
    queues = []
    for row in selectors.queue_rows(workspace):
        key = f"queue-{row['id']}"
        form = (
            bad
            if bad_key == key
            else QueueForm(
                skills=skills,
                segments=segments,
                prefix=f"q{row['id']}",
                initial={
                    "segment": str(row["queue"].segment_id or ""),
                    "name": row["name"],
                    "priority": row["priority"],
                    "required_skills": row["required_skills"],
                    "is_default": row["is_default"],
                },
            )
        )
        queues.append(SimpleNamespace(**row, form=form, open=bad_key == key))

    profiles = {r["user"].pk: r for r in selectors.agent_rows(workspace)}
    agents = []
    for user in selectors.desk_members(workspace):
        profile = profiles.get(user.pk)
        key = f"agent-{user.pk}"
        if bad_key == key:
            form = bad
        else:
            initial = {"capacity": profile["capacity"] if profile else AgentProfile().capacity}
            for s in profile["skills"] if profile else []:
                initial[f"skill_{s['skill_id']}"] = str(s["level"])
            form = AgentForm(
                skills=skills,
                prefix=f"a{user.pk}",
                form_id=f"agent-form-{user.pk}",
                initial=initial,
            )
        presence = profile["presence"] if profile else Presence.OFFLINE
        agents.append(
            SimpleNamespace(
                user=user,
                presence=Presence(presence).label,
                presence_key=presence,
                load=f"{profile['active']}/{profile['capacity']}" if profile else "",
                form=form,
            )
        )

    context = {
        "sections": settings_sections(access, ""),
        "desk_settings_active": True,
        "queues": queues,
        "skills": skills,
        "agents": agents,
        "new_queue": (
            bad
            if bad_key == "new-queue"
            else QueueForm(skills=skills, segments=segments, prefix="new")
        ),
        "new_skill": bad if bad_key == "new-skill" else SkillForm(prefix="skill"),
        "notice": notice,
    }
    return render_ws(
        request, access, "desk_settings/queues.html", context, active="settings", status=status
    )


def _done(request, access, notice: str):
    if is_htmx(request):
        return _page(request, access, notice=notice)
    messages.success(request, notice)
    return redirect("desk_settings", access.workspace.slug)


def _skills(access):
    return selectors.skills(access.workspace)


def _segments(access):
    return segment_tree(access.workspace.organization_id)


@workspace_view(Perm.MANAGE_CARE)
def queues_page(request, access):
    return _page(request, access)


@workspace_view(Perm.MANAGE_CARE)
@require_POST
def queue_add(request, access):
    form = QueueForm(request.POST, skills=_skills(access), segments=_segments(access), prefix="new")
    if form.is_valid():
        data = form.cleaned_data
        try:
            queue = services.queue_create(
                workspace=access.workspace,
                name=data["name"],
                priority=data["priority"],
                required_skills=data["required_skills"],
                is_default=data["is_default"],
                segment=data["segment"] or None,
            )
        except FieldErrors as exc:
            show_errors(form, exc)
        else:
            added = gettext("Added the queue %(name)s.") % {"name": queue.name}
            return _done(request, access, added)
    return _page(request, access, bad=form, bad_key="new-queue", status=INVALID)


@workspace_view(Perm.MANAGE_CARE)
@require_POST
def queue_save(request, access, queue_id):
    queue = get_object_or_404(Queue, pk=queue_id, workspace=access.workspace)
    form = QueueForm(
        request.POST, skills=_skills(access), segments=_segments(access), prefix=f"q{queue.pk}"
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.queue_update(
                queue=queue,
                name=data["name"],
                priority=data["priority"],
                required_skills=data["required_skills"],
                is_default=data["is_default"],
                segment=data["segment"] or None,
            )
        except FieldErrors as exc:
            show_errors(form, exc)
        else:
            saved = gettext("Saved the queue %(name)s.") % {"name": queue.name}
            return _done(request, access, saved)
    return _page(request, access, bad=form, bad_key=f"queue-{queue.pk}", status=INVALID)


@workspace_view(Perm.MANAGE_CARE)
@require_POST
def skill_add(request, access):
    form = SkillForm(request.POST, prefix="skill")
    if form.is_valid():
        try:
            skill = services.skill_create(
                workspace=access.workspace, name=form.cleaned_data["name"]
            )
        except FieldErrors as exc:
            show_errors(form, exc)
        else:
            added = gettext("Added the skill %(name)s.") % {"name": skill.name}
            return _done(request, access, added)
    return _page(request, access, bad=form, bad_key="new-skill", status=INVALID)


@workspace_view(Perm.MANAGE_CARE)
@require_POST
def agent_save(request, access, user_id):
    user = next((u for u in selectors.desk_members(access.workspace) if u.pk == user_id), None)
    if user is None:
        raise Http404("No such agent")
    form = AgentForm(
        request.POST, skills=_skills(access), prefix=f"a{user.pk}", form_id=f"agent-form-{user.pk}"
    )
    if form.is_valid():
        try:
            with transaction.atomic():
                services.agent_profile_set(
                    workspace=access.workspace,
                    user=user,
                    capacity=form.cleaned_data["capacity"],
                    skills=form.levels(),
                )
        except FieldErrors as exc:
            show_errors(form, exc)
        else:
            name = user.get_full_name() or user.username
            return _done(
                request,
                access,
                gettext("Saved the routing settings of %(name)s.") % {"name": name},
            )
    return _page(request, access, bad=form, bad_key=f"agent-{user.pk}", status=INVALID)
