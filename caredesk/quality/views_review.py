"""The review queue (Coaching → Review queue, permission `evaluate`) and its rules (Settings →
Review rules, permission `manage_scorecards`). Thin: caredesk.quality.sampling reads and
writes; its FieldErrors are shown next to the fields with nothing saved."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from caredesk.core.errors import FieldErrors, show_errors
from caredesk.core.htmx import INVALID
from caredesk.journey.models import MediaType
from caredesk.quality import sampling
from caredesk.quality.models import ReviewStatus, SamplingKind, Scorecard
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.views import settings_sections
from caredesk.workspaces.web import render_ws, workspace_view

SECTION = "review_rules"
# Lazy labels: translated when shown, in the reader's language.
KIND_CHOICES = [(k, MediaType(k).label) for k in sampling.SAMPLED_KINDS]


class RuleForm(forms.Form):
    name = forms.CharField(max_length=200, label=gettext_lazy("Name"))
    scorecard = forms.TypedChoiceField(coerce=int, label=gettext_lazy("Scorecard"))
    kind = forms.ChoiceField(choices=SamplingKind.choices, label=gettext_lazy("What to pick"))
    media_types = forms.MultipleChoiceField(
        choices=KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Activities"),
        help_text=gettext_lazy("None ticked: those the scorecard applies to."),
    )
    count = forms.IntegerField(
        min_value=1,
        max_value=sampling.MAX_COUNT,
        initial=5,
        label=gettext_lazy("How many per agent"),
    )
    period_days = forms.IntegerField(
        min_value=1,
        max_value=sampling.MAX_PERIOD_DAYS,
        initial=7,
        label=gettext_lazy("Period in days"),
        help_text=gettext_lazy(
            "Per agent: the period the number is for. Detractors and long ones: how far back "
            "to look."
        ),
    )
    minutes = forms.IntegerField(
        min_value=1,
        max_value=sampling.MAX_MINUTES,
        initial=20,
        label=gettext_lazy("Longer than (minutes)"),
    )
    active = forms.BooleanField(required=False, initial=True, label=gettext_lazy("On"))

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scorecard"].choices = [
            (c.pk, c.name)
            for c in Scorecard.objects.visible_to(access).filter(current_version__isnull=False)
        ]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["media_types"] = list(data["media_types"])
        return data


def _settings_page(request, access, template: str, context: dict, *, status: int = 200):
    context = {
        "sections": settings_sections(access, SECTION),
        **context,
    }
    return render_ws(request, access, template, context, active="settings", status=status)


def _rules_page(request, access, form, *, status=200):
    rows = [(rule, sampling.rule_sentence(rule)) for rule in sampling.rules_of(access)]
    return _settings_page(
        request, access, "quality/sampling_rules.html", {"rows": rows, "form": form}, status=status
    )


@workspace_view(Perm.MANAGE_SCORECARDS)
def sampling_rules(request, access):
    """The rules, and a form to add one."""
    if request.method != "POST":
        return _rules_page(request, access, RuleForm(access=access))
    form = RuleForm(request.POST, access=access)
    if form.is_valid():
        try:
            rule = sampling.rule_create(access=access, **form.values())
        except FieldErrors as exc:
            show_errors(form, exc)
        else:
            messages.success(
                request,
                _("Review rule %(name)s saved; %(n)s in the queue from it.")
                % {"name": rule.name, "n": rule.items.count()},
            )
            return redirect("sampling_rules", access.workspace.slug)
    return _rules_page(request, access, form, status=INVALID)


@workspace_view(Perm.MANAGE_SCORECARDS)
def sampling_rule(request, access, rule_id):
    """One rule's form."""
    rule = sampling.rule_get(access, rule_id)
    if request.method != "POST":
        initial = {
            f: getattr(rule, f)
            for f in ("name", "kind", "media_types", "count", "period_days", "minutes", "active")
        }
        initial["scorecard"] = rule.scorecard_id
        form = RuleForm(initial=initial, access=access)
        return _settings_page(
            request, access, "quality/sampling_rule.html", {"rule": rule, "form": form}
        )
    form = RuleForm(request.POST, access=access)
    if form.is_valid():
        try:
            sampling.rule_update(access=access, rule=rule, **form.values())
        except FieldErrors as exc:
            show_errors(form, exc)
        else:
            messages.success(
                request, _("Review rule %(name)s saved.") % {"name": form.values()["name"]}
            )
            return redirect("sampling_rules", access.workspace.slug)
    return _settings_page(
        request, access, "quality/sampling_rule.html", {"rule": rule, "form": form}, status=INVALID
    )


@require_POST
@workspace_view(Perm.MANAGE_SCORECARDS)
def sampling_rule_switch(request, access, rule_id):
    rule = sampling.rule_get(access, rule_id)
    sampling.rule_switch(access=access, rule=rule, active=request.POST.get("active") == "1")
    return redirect("sampling_rules", access.workspace.slug)


@require_POST
@workspace_view(Perm.MANAGE_SCORECARDS)
def sampling_rule_delete(request, access, rule_id):
    rule = sampling.rule_get(access, rule_id)
    sampling.rule_delete(access=access, rule=rule)
    messages.success(request, _("Review rule %(name)s deleted.") % {"name": rule.name})
    return redirect("sampling_rules", access.workspace.slug)


# -- the queue --------------------------------------------------------------------------------

QUEUE_LIMIT = 200


def _minutes(activity) -> int | None:
    if activity.started_at is None or activity.ended_at is None:
        return None
    return int((activity.ended_at - activity.started_at).total_seconds() // 60)


def _queue_page(request, access, *, status: int = 200):
    raw = {k: request.GET.get(k, "") for k in ("agent", "rule", "media", "status", "mine")}
    filter_errors = {}
    try:
        items = sampling.queue_items(
            access,
            status=raw["status"] or ReviewStatus.PENDING,
            agent=raw["agent"],
            rule=raw["rule"],
            media_type=raw["media"],
            mine=raw["mine"] == "1",
        )
    except FieldErrors as exc:
        filter_errors = exc.errors
        items = sampling.queue_items(access)
    total = items.count()
    rows = [(item, _minutes(item.activity)) for item in items[:QUEUE_LIMIT]]
    agents = (
        sampling.items_visible(access)
        .filter(agent__isnull=False)
        .values_list("agent_id", "agent__first_name", "agent__last_name", "agent__username")
        .distinct()
        .order_by("agent__first_name", "agent__last_name", "agent_id")
    )
    context = {
        "rows": rows,
        "total": total,
        "shown": len(rows),
        "counts": sampling.review_counts(access),
        "raw": raw,
        "status": raw["status"] or ReviewStatus.PENDING,
        "filter_errors": filter_errors,
        "agents": [(str(pk), f"{f} {la}".strip() or u) for pk, f, la, u in agents],
        "rules": [(str(r.pk), r.name) for r in sampling.rules_of(access)],
        "kinds": KIND_CHOICES,
        "statuses": ReviewStatus.choices,
        "can_manage_rules": access.has(Perm.MANAGE_SCORECARDS),
        "here": request.get_full_path(),
    }
    if filter_errors:
        status = INVALID
    return render_ws(
        request, access, "quality/review_queue.html", context, active="coaching", status=status
    )


@workspace_view(Perm.EVALUATE)
def review_queue(request, access):
    """The items to evaluate, filtered by agent, rule, media type and status, oldest first."""
    return _queue_page(request, access)


def _back(request, access):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(reverse("review_queue", args=[access.workspace.slug]))


def _act(request, access, item_id, action, done: str):
    item = sampling.item_get(access, item_id)
    try:
        action(access=access, item=item)
    except FieldErrors as exc:
        # Refused, nothing changed: the queue again, with why, as a 400.
        messages.error(request, " ".join(exc.errors.values()))
        return _queue_page(request, access, status=INVALID)
    messages.success(request, done)
    return _back(request, access)


@require_POST
@workspace_view(Perm.EVALUATE)
def review_claim(request, access, item_id):
    return _act(
        request, access, item_id, sampling.item_claim, _("Claimed: it is yours to evaluate.")
    )


@require_POST
@workspace_view(Perm.EVALUATE)
def review_release(request, access, item_id):
    return _act(request, access, item_id, sampling.item_release, _("Given back to the queue."))


@require_POST
@workspace_view(Perm.EVALUATE)
def review_skip(request, access, item_id):
    return _act(request, access, item_id, sampling.item_skip, _("Skipped."))
