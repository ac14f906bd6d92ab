"""The review queue: sampling rules (written here, permission `manage_scorecards`), the sampler
that turns them into ReviewItems, and the queue's reads and writes (claim, skip, counts).

What each kind of rule picks, among the workspace's ended activities (ended_at set) that have
an agent, are of the rule's media types (else the scorecard's, else chat, call and email), are
in the scorecard's queues if it names any, and are neither evaluated with the rule's scorecard
(a regular evaluation) nor already in the queue for it (any status):

- per_agent: `count` activities per agent in each period of `period_days` days, at random.
  Periods are counted from Monday 1 January 2024 00:00 UTC (7 days: Monday to Sunday, UTC);
  an activity belongs to the period in which it ended. Items of the rule already in the
  period count toward the agent's number, except skipped ones: a skipped item is replaced.
- detractor: every activity *followed by a detractor answer*: a survey response with an NPS
  score 0–6 (an NPS survey) or a CSAT score 1–2 (a CSAT survey), answered at or after the
  activity ended, and either about the same ticket as the activity (Response.case), or from
  the same customer (Response.contact) within DETRACTOR_FOLLOW_DAYS days after it ended.
  Responses answered in the last `period_days` days are looked at.
- longer_than: every activity whose duration (ended_at − started_at) exceeds `minutes`,
  among those that ended in the last `period_days` days.

`sample` runs every hour (caredesk.quality.sampling_tasks) and when a rule is saved."""

import datetime as dt
import random
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from caredesk.audit.services import audit_changes
from caredesk.core.errors import FieldErrors
from caredesk.core.limits import text_error
from caredesk.feedback.models import Response, SurveyKind
from caredesk.feedback.rules import CSAT_BANDS, NPS_BANDS
from caredesk.journey.models import Activity, MediaType
from caredesk.quality.models import (
    Evaluation,
    EvaluationKind,
    ReviewItem,
    ReviewStatus,
    SamplingKind,
    SamplingRule,
    Scorecard,
    coached_agent_ids,
)
from caredesk.quality.people import agent_segment_path, int_or_none
from caredesk.workspaces.access import Access, area_q
from caredesk.workspaces.permissions import Perm

# The media types a rule may sample (a ticket is no activity; notes, web forms and survey
# responses are not an agent's conversation).
SAMPLED_KINDS = [MediaType.CHAT, MediaType.CALL, MediaType.EMAIL]
MAX_COUNT = 100
MAX_PERIOD_DAYS = 365
MAX_MINUTES = 24 * 60
DETRACTOR_FOLLOW_DAYS = 3
PERIOD_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)  # a Monday


# -- rules ------------------------------------------------------------------------------------


def _whole(errors: dict, field: str, value, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        number = None
    else:
        number = int_or_none(value)
    if number is None or not low <= number <= high:
        errors[field] = _("A whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        return None
    return number


def _checked(access: Access, data: dict) -> dict:
    """The rule's fields as they will be stored, or FieldErrors naming each bad one."""
    errors: dict[str, str] = {}
    out: dict = {}
    if "name" in data:
        name = data["name"]
        problem = text_error(name, 200) if name not in (None, "") else _("Required.")
        if problem is None and not name.strip():
            problem = _("Required.")
        if problem:
            errors["name"] = problem
        else:
            out["name"] = name.strip()
    if "scorecard" in data:
        card = None
        if (pk := int_or_none(data["scorecard"])) is not None and not isinstance(
            data["scorecard"], bool
        ):
            card = (
                Scorecard.objects.filter(workspace=access.workspace, pk=pk)
                .select_related("current_version")
                .first()
            )
        if card is None or card.current_version is None:
            errors["scorecard"] = _("No such scorecard.")
        else:
            out["scorecard"] = card
    if "kind" in data:
        if data["kind"] not in SamplingKind.values:
            errors["kind"] = _("Unknown kind; one of: %(kinds)s.") % {
                "kinds": ", ".join(SamplingKind.values)
            }
        else:
            out["kind"] = data["kind"]
    if "media_types" in data:
        kinds = data["media_types"]
        if not isinstance(kinds, list | tuple) or any(k not in SAMPLED_KINDS for k in kinds):
            errors["media_types"] = _("Unknown kind; any of: %(kinds)s.") % {
                "kinds": ", ".join(SAMPLED_KINDS)
            }
        else:
            out["media_types"] = sorted(set(kinds), key=list(SAMPLED_KINDS).index)
    for field, high in (("count", MAX_COUNT), ("period_days", MAX_PERIOD_DAYS)):
        if field in data:
            number = _whole(errors, field, data[field], 1, high)
            if number is not None:
                out[field] = number
    if "minutes" in data:
        number = _whole(errors, "minutes", data["minutes"], 1, MAX_MINUTES)
        if number is not None:
            out["minutes"] = number
    if "active" in data:
        if not isinstance(data["active"], bool):
            errors["active"] = _("True or false.")
        else:
            out["active"] = data["active"]
    if errors:
        raise FieldErrors(errors)
    return out


def _check_fits(card: Scorecard, media_types: list[str]) -> None:
    allowed = card.current_version.media_types
    outside = [k for k in media_types if allowed and k not in allowed]
    if outside or (allowed and not any(k in SAMPLED_KINDS for k in allowed)):
        raise FieldErrors.one(
            "media_types",
            _("The scorecard %(name)s does not apply to: %(kinds)s.")
            % {"name": card.name, "kinds": ", ".join(outside or allowed)},
        )


FIELDS = ("name", "scorecard", "kind", "media_types", "count", "period_days", "minutes", "active")


def _shown(rule: SamplingRule, field: str) -> str:
    value = getattr(rule, field)
    if field == "scorecard":
        return str(value.pk)
    if isinstance(value, list):
        return ",".join(value)
    return str(value)


def rule_create(
    *,
    access: Access,
    name,
    scorecard,
    kind,
    media_types=(),
    count=5,
    period_days=7,
    minutes=20,
    active=True,
) -> SamplingRule:
    """A new rule; the queue is filled from it at once (when it is on)."""
    access.require(Perm.MANAGE_SCORECARDS)
    clean = _checked(
        access,
        {
            "name": name,
            "scorecard": scorecard,
            "kind": kind,
            "media_types": list(media_types) if isinstance(media_types, list | tuple) else None,
            "count": count,
            "period_days": period_days,
            "minutes": minutes,
            "active": active,
        },
    )
    _check_fits(clean["scorecard"], clean["media_types"])
    with transaction.atomic():
        rule = SamplingRule.objects.create(
            workspace=access.workspace, created_by=access.user, **clean
        )
        audit_changes(
            workspace=access.workspace,
            obj=rule,
            actor=access.user,
            action="created",
            changes=[(f, "", _shown(rule, f)) for f in FIELDS],
        )
    sample(access.workspace, rules=[rule])
    return rule


def rule_update(*, access: Access, rule: SamplingRule, **changes) -> SamplingRule:
    """Change the fields given (others stay); the queue is filled from it again."""
    access.require(Perm.MANAGE_SCORECARDS)
    unknown = [k for k in changes if k not in FIELDS]
    if unknown:
        raise FieldErrors.one(unknown[0], _("Unknown field."))
    clean = _checked(access, changes)
    card = clean.get("scorecard", rule.scorecard)
    if "scorecard" in clean or "media_types" in clean:
        _check_fits(card, clean.get("media_types", rule.media_types))
    with transaction.atomic():
        rule = SamplingRule.objects.select_for_update().get(pk=rule.pk)
        log = []
        for field, value in clean.items():
            old = _shown(rule, field)
            setattr(rule, field, value)
            if _shown(rule, field) != old:
                log.append((field, old, _shown(rule, field)))
        if log:
            rule.save()
            audit_changes(
                workspace=access.workspace,
                obj=rule,
                actor=access.user,
                action="edited",
                changes=log,
            )
    sample(access.workspace, rules=[rule])
    return rule


def rule_switch(*, access: Access, rule: SamplingRule, active) -> SamplingRule:
    return rule_update(access=access, rule=rule, active=active)


def rule_delete(*, access: Access, rule: SamplingRule) -> None:
    """The rule goes; its items stay in the queue (their rule becomes empty)."""
    access.require(Perm.MANAGE_SCORECARDS)
    with transaction.atomic():
        audit_changes(
            workspace=access.workspace,
            obj=rule,
            actor=access.user,
            action="deleted",
            changes=[("name", rule.name, "")],
        )
        rule.delete()


def rules_of(access: Access):
    return (
        SamplingRule.objects.visible_to(access)
        .select_related("scorecard__current_version")
        .annotate(
            n_pending=Count("items", filter=Q(items__status=ReviewStatus.PENDING)),
            n_items=Count("items"),
        )
        .order_by("name", "id")
    )


def rule_get(access: Access, pk) -> SamplingRule:
    """One rule of the workspace, else 404."""
    pk = int_or_none(pk)
    found = (
        SamplingRule.objects.visible_to(access)
        .select_related("scorecard__current_version")
        .filter(pk=pk)
        .first()
        if pk is not None
        else None
    )
    if found is None:
        raise Http404(_("No such review rule."))
    return found


def rule_sentence(rule: SamplingRule) -> str:
    """What the rule picks, in words."""
    chosen = rule.media_types or [
        k for k in rule.scorecard.current_version.media_types if k in SAMPLED_KINDS
    ]
    kinds = ", ".join(str(MediaType(k).label).lower() for k in chosen) or _(
        "chats, calls and emails"
    )
    if rule.kind == SamplingKind.PER_AGENT:
        return _("%(count)s per agent every %(days)s days, at random (%(kinds)s)") % {
            "count": rule.count,
            "days": rule.period_days,
            "kinds": kinds,
        }
    if rule.kind == SamplingKind.DETRACTOR:
        return _(
            "Every one followed by a detractor survey answer in the last %(days)s days (%(kinds)s)"
        ) % {"days": rule.period_days, "kinds": kinds}
    return _("Every one longer than %(minutes)s minutes in the last %(days)s days (%(kinds)s)") % {
        "minutes": rule.minutes,
        "days": rule.period_days,
        "kinds": kinds,
    }


# -- the sampler ------------------------------------------------------------------------------


def period_start(now: dt.datetime, days: int) -> dt.datetime:
    """The start of the period of `days` days that holds `now` (counted from PERIOD_EPOCH)."""
    span = dt.timedelta(days=days)
    return PERIOD_EPOCH + ((now - PERIOD_EPOCH) // span) * span


def detractor_q(prefix: str = "") -> Q:
    nps_low, nps_high = NPS_BANDS["detractor"]
    csat_low, csat_high = CSAT_BANDS["csat_low"]
    return Q(
        **{
            f"{prefix}survey__kind": SurveyKind.NPS,
            f"{prefix}score__gte": nps_low,
            f"{prefix}score__lte": nps_high,
        }
    ) | Q(
        **{
            f"{prefix}survey__kind": SurveyKind.CSAT,
            f"{prefix}score__gte": csat_low,
            f"{prefix}score__lte": csat_high,
        }
    )


def _candidates(rule: SamplingRule, now: dt.datetime):
    card = rule.scorecard
    version = card.current_version
    kinds = rule.media_types or [k for k in version.media_types if k in SAMPLED_KINDS]
    qs = Activity.objects.filter(
        workspace_id=rule.workspace_id,
        media_type__in=kinds or SAMPLED_KINDS,
        agent__isnull=False,
        ended_at__isnull=False,
        ended_at__lte=now,
    )
    if version.queue_names:
        qs = qs.filter(queue_name__in=version.queue_names)
    queued = ReviewItem.objects.filter(activity=OuterRef("pk"), scorecard=card)
    evaluated = Evaluation.objects.filter(
        activity=OuterRef("pk"), scorecard=card, kind=EvaluationKind.REGULAR
    )
    return qs.filter(~Exists(queued), ~Exists(evaluated))


def _per_agent(rule: SamplingRule, now: dt.datetime) -> list[tuple[int, int, str]]:
    start = period_start(now, rule.period_days)
    rows = _candidates(rule, now).filter(ended_at__gte=start).values_list("pk", "agent_id")
    by_agent: dict[int, list[int]] = defaultdict(list)
    for pk, agent_id in rows:
        by_agent[agent_id].append(pk)
    taken = dict(
        ReviewItem.objects.filter(rule=rule, activity__ended_at__gte=start)
        .exclude(status=ReviewStatus.SKIPPED)
        .values("agent_id")
        .annotate(n=Count("id"))
        .values_list("agent_id", "n")
    )
    reason = _("Random sample: %(count)s per agent every %(days)s days") % {
        "count": rule.count,
        "days": rule.period_days,
    }
    picked = []
    for agent_id, ids in sorted(by_agent.items()):
        need = rule.count - taken.get(agent_id, 0)
        if need > 0:
            for pk in random.sample(sorted(ids), min(need, len(ids))):
                picked.append((pk, agent_id, reason))
    return picked


def _detractor(rule: SamplingRule, now: dt.datetime) -> list[tuple[int, int, str]]:
    since = now - dt.timedelta(days=rule.period_days)
    follow = dt.timedelta(days=DETRACTOR_FOLLOW_DAYS)
    answers = Response.objects.filter(
        detractor_q(),
        workspace_id=rule.workspace_id,
        responded_at__gte=since,
        responded_at__lte=now,
    )
    after = answers.filter(responded_at__gte=OuterRef("ended_at"))
    linked = after.filter(
        Q(case_id=OuterRef("case_id"))
        | Q(
            contact_id=OuterRef("contact_id"),
            responded_at__lte=ExpressionWrapper(
                OuterRef("ended_at") + follow, output_field=DateTimeField()
            ),
        )
    )
    rows = list(
        _candidates(rule, now)
        .filter(ended_at__gte=since - follow)
        .filter(Exists(linked))
        .values_list("pk", "agent_id", "ended_at", "case_id", "contact_id")
    )
    picked = []
    for pk, agent_id, ended_at, case_id, contact_id in rows:
        link = Q(case_id=case_id) if case_id else Q(pk__in=[])
        if contact_id:
            link |= Q(contact_id=contact_id, responded_at__lte=ended_at + follow)
        answer = (
            answers.filter(link, responded_at__gte=ended_at)
            .select_related("survey")
            .order_by("responded_at", "id")
            .first()
        )
        if answer is None:
            continue
        label = "NPS" if answer.survey.kind == SurveyKind.NPS else "CSAT"
        reason = _("Detractor answer: %(kind)s %(score)s") % {"kind": label, "score": answer.score}
        picked.append((pk, agent_id, reason))
    return picked


def _longer_than(rule: SamplingRule, now: dt.datetime) -> list[tuple[int, int, str]]:
    since = now - dt.timedelta(days=rule.period_days)
    limit = ExpressionWrapper(
        F("started_at") + dt.timedelta(minutes=rule.minutes), output_field=DateTimeField()
    )
    rows = (
        _candidates(rule, now)
        .filter(ended_at__gte=since, started_at__isnull=False)
        .filter(ended_at__gt=limit)
        .values_list("pk", "agent_id", "started_at", "ended_at")
    )
    picked = []
    for pk, agent_id, started, ended in rows:
        minutes = int((ended - started).total_seconds() // 60)
        reason = _("Longer than %(limit)s minutes: %(minutes)s minutes") % {
            "limit": rule.minutes,
            "minutes": minutes,
        }
        picked.append((pk, agent_id, reason))
    return picked


PICKERS = {
    SamplingKind.PER_AGENT: _per_agent,
    SamplingKind.DETRACTOR: _detractor,
    SamplingKind.LONGER_THAN: _longer_than,
}


def sample(workspace, *, now: dt.datetime | None = None, rules=None) -> int:
    """Add to the review queue what the workspace's active rules (or `rules`, if on) pick;
    returns how many items were added. Idempotent: an activity is queued once per scorecard
    (the database's unique constraint settles two runs at once)."""
    now = now or timezone.now()
    if rules is None:
        rules = SamplingRule.objects.filter(workspace=workspace)
    rules = [
        r
        for r in SamplingRule.objects.filter(
            pk__in=[r.pk for r in rules],
            active=True,
            scorecard__active=True,
            scorecard__current_version__isnull=False,
        ).select_related("scorecard__current_version")
    ]
    added = 0
    paths: dict[int, str] = {}
    for rule in sorted(rules, key=lambda r: r.pk):
        # The reasons are stored in the workspace's language, as its coaching cases are.
        with translation.override(workspace.language):
            picked = PICKERS[rule.kind](rule, now)
        if not picked:
            continue
        for _pk, agent_id, _reason in picked:
            if agent_id not in paths:
                paths[agent_id] = agent_segment_path(workspace, agent_id)
        ReviewItem.objects.bulk_create(
            [
                ReviewItem(
                    workspace=workspace,
                    rule=rule,
                    scorecard=rule.scorecard,
                    activity_id=pk,
                    agent_id=agent_id,
                    segment_path=paths[agent_id],
                    reason=reason[:200],
                )
                for pk, agent_id, reason in picked
            ],
            ignore_conflicts=True,
        )
        added += ReviewItem.objects.filter(
            rule=rule, activity_id__in=[p[0] for p in picked]
        ).count()
    return added


def sample_all(*, now: dt.datetime | None = None) -> int:
    """Every workspace that has an active rule (the worker's periodic task)."""
    from caredesk.workspaces.models import Workspace

    total = 0
    ids = SamplingRule.objects.filter(active=True).values_list("workspace_id", flat=True).distinct()
    for workspace in Workspace.objects.filter(pk__in=list(ids)):
        total += sample(workspace, now=now)
    return total


# -- the queue --------------------------------------------------------------------------------


def review_visibility_q(access: Access) -> Q | None:
    """The items an evaluator sees: the whole workspace with view_all_cases; else those about
    agents they coach, in their management area, or claimed by them. Never their own work."""
    if access.sees_whole_workspace:
        return None
    cond = area_q(access, "segment_path") | Q(assignee=access.user)
    coached = coached_agent_ids(access)
    if coached:
        cond |= Q(agent__in=coached)
    return cond


def items_visible(access: Access):
    """The review items the caller may see (none without `evaluate`)."""
    qs = ReviewItem.objects.filter(workspace=access.workspace)
    if not access.has(Perm.EVALUATE):
        return qs.none()
    cond = review_visibility_q(access)
    if cond is not None:
        qs = qs.filter(cond)
    if access.user is not None:
        qs = qs.exclude(agent=access.user)
    return qs


def queue_items(
    access: Access,
    *,
    status=ReviewStatus.PENDING,
    agent=None,
    rule=None,
    media_type=None,
    mine=False,
):
    """The queue with its filters, oldest activity first. FieldErrors for a bad filter."""
    errors = {}
    if status not in ReviewStatus.values:
        errors["status"] = _("Unknown status; one of: %(values)s.") % {
            "values": ", ".join(ReviewStatus.values)
        }
    if media_type not in (None, "") and media_type not in SAMPLED_KINDS:
        errors["media_type"] = _("Unknown kind; any of: %(kinds)s.") % {
            "kinds": ", ".join(SAMPLED_KINDS)
        }
    for field, value in (("agent", agent), ("rule", rule)):
        if value not in (None, "") and int_or_none(value) is None:
            errors[field] = _("Not a whole number: %(value)s") % {"value": repr(value)}
    if errors:
        raise FieldErrors(errors)
    qs = items_visible(access).filter(status=status)
    if agent not in (None, ""):
        qs = qs.filter(agent_id=int_or_none(agent))
    if rule not in (None, ""):
        qs = qs.filter(rule_id=int_or_none(rule))
    if media_type:
        qs = qs.filter(activity__media_type=media_type)
    if mine:
        qs = qs.filter(assignee=access.user)
    return qs.select_related("activity", "agent", "assignee", "rule", "scorecard").order_by(
        "activity__ended_at", "id"
    )


def item_get(access: Access, pk) -> ReviewItem:
    """One item the caller may see, else 404 (403 without `evaluate`)."""
    access.require(Perm.EVALUATE)
    pk = int_or_none(pk)
    found = (
        items_visible(access)
        .select_related("activity", "agent", "assignee", "rule", "scorecard")
        .filter(pk=pk)
        .first()
        if pk is not None
        else None
    )
    if found is None:
        raise Http404(_("No such review item."))
    return found


def _open_item(access: Access, item: ReviewItem) -> ReviewItem:
    access.require(Perm.EVALUATE)
    item = ReviewItem.objects.select_for_update().get(pk=item.pk)
    if item.status != ReviewStatus.PENDING:
        raise FieldErrors.one("status", _("This item is no longer waiting to be evaluated."))
    if item.assignee_id not in (None, access.user.pk if access.user else None):
        raise FieldErrors.one(
            "assignee", _("%(name)s has claimed it already.") % {"name": item.assignee}
        )
    return item


def item_claim(*, access: Access, item: ReviewItem) -> ReviewItem:
    """The caller will evaluate it (so two evaluators do not evaluate the same); claiming it
    again is a no-op, claiming someone else's is refused."""
    if access.user is None:
        raise PermissionDenied(_("Only a person can claim an item."))
    with transaction.atomic():
        item = _open_item(access, item)
        if item.assignee_id is None:
            item.assignee = access.user
            item.save(update_fields=["assignee"])
    return item


def item_release(*, access: Access, item: ReviewItem) -> ReviewItem:
    """Give a claimed item back to the queue (its claimer only)."""
    with transaction.atomic():
        item = _open_item(access, item)
        if item.assignee_id is not None:
            item.assignee = None
            item.save(update_fields=["assignee"])
    return item


def item_skip(*, access: Access, item: ReviewItem) -> ReviewItem:
    """Not to be evaluated (a per-agent rule picks another one for the agent)."""
    with transaction.atomic():
        item = _open_item(access, item)
        item.status = ReviewStatus.SKIPPED
        item.save(update_fields=["status"])
    return item


def review_counts(access: Access, *, now: dt.datetime | None = None) -> dict:
    """For Home and the queue: {"pending": items waiting that I may see, "mine": of them the
    ones I claimed, "done_week": items evaluated in the last 7 days that I may see}."""
    if not access.has(Perm.EVALUATE):
        return {"pending": 0, "mine": 0, "done_week": 0}
    now = now or timezone.now()
    qs = items_visible(access)
    mine = Q(assignee=access.user) if access.user is not None else Q(pk__in=[])
    return qs.aggregate(
        pending=Count("id", filter=Q(status=ReviewStatus.PENDING)),
        mine=Count("id", filter=Q(status=ReviewStatus.PENDING) & mine),
        done_week=Count(
            "id",
            filter=Q(
                status=ReviewStatus.DONE,
                evaluation__created_at__gte=now - dt.timedelta(days=7),
            ),
        ),
    )
