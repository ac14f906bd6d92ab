"""Writing scorecards: create, edit (a new version once the current one was used), switch on
or off. What a scorecard may hold is checked here, before anything is written."""

from django.db import transaction
from django.utils.translation import gettext as _

from caredesk.audit.services import audit_changes
from caredesk.core.errors import FieldErrors
from caredesk.core.limits import MAX_BODY, text_error
from caredesk.journey.models import MediaType
from caredesk.quality.models import Criterion, Evaluation, Scale, Scorecard, ScorecardVersion
from caredesk.quality.prefill import AUTO_CHECKS
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

# What a scorecard can apply to besides the journey's media types.
TICKET = "ticket"
TARGET_KINDS = [*MediaType.values, TICKET]

MAX_SECTIONS = 20
MAX_CRITERIA = 60
MAX_POINTS = 11
MAX_WEIGHT = 1000


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_text(errors, key, value, limit, *, required=False):
    if value is None or value == "":
        if required:
            errors[key] = _("Required.")
        return
    if (problem := text_error(value, limit)) is not None:
        errors[key] = problem
    elif required and not value.strip():
        errors[key] = _("Required.")


def _check_points(errors, key, points):
    if not isinstance(points, list) or not 2 <= len(points) <= MAX_POINTS:
        errors[key] = _("Give between 2 and %(n)s points.") % {"n": MAX_POINTS}
        return
    values = []
    for j, p in enumerate(points):
        pkey = f"{key}.{j}"
        if not isinstance(p, dict):
            errors[pkey] = _("A point is an object with a value, a label and a score.")
            continue
        value, score = p.get("value"), p.get("score")
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            errors[f"{pkey}.value"] = _("A whole number from 0 to 100.")
        values.append(value)
        if not _is_number(score) or not 0 <= score <= 100:
            errors[f"{pkey}.score"] = _("A number from 0 to 100.")
        _check_text(errors, f"{pkey}.label", p.get("label"), 100, required=True)
    if len(set(map(str, values))) != len(values):
        errors[key] = _("Each point needs its own value.")


def check_definition(
    *, sections, pass_mark, media_types, queue_names, known_ids: set[int]
) -> list[dict]:
    """The sections as they will be stored (ids of new criteria still None), or FieldErrors
    keyed like "sections.0.criteria.2.weight". `known_ids`: the scorecard's criteria; a
    criterion sent with another id is refused."""
    errors: dict[str, str] = {}
    if not isinstance(pass_mark, int) or isinstance(pass_mark, bool) or not 0 <= pass_mark <= 100:
        errors["pass_mark"] = _("A whole number from 0 to 100.")
    if not isinstance(media_types, list) or any(m not in TARGET_KINDS for m in media_types):
        errors["media_types"] = _("Unknown kind; any of: %(kinds)s.") % {
            "kinds": ", ".join(TARGET_KINDS)
        }
    if not isinstance(queue_names, list) or any(
        not isinstance(q, str) or text_error(q, 100) for q in queue_names
    ):
        errors["queue_names"] = _("A list of queue names.")
    if not isinstance(sections, list) or not 1 <= len(sections) <= MAX_SECTIONS:
        errors["sections"] = _("Give between 1 and %(n)s sections.") % {"n": MAX_SECTIONS}
        raise FieldErrors(errors)
    out, seen, regular, total = [], set(), 0, 0
    for i, section in enumerate(sections):
        key = f"sections.{i}"
        if not isinstance(section, dict):
            errors[key] = _("A section is an object with a title and criteria.")
            continue
        _check_text(errors, f"{key}.title", section.get("title"), 200)
        criteria = section.get("criteria")
        if not isinstance(criteria, list) or not criteria:
            errors[f"{key}.criteria"] = _("A section needs at least one criterion.")
            continue
        kept = []
        for j, c in enumerate(criteria):
            ckey = f"{key}.criteria.{j}"
            total += 1
            if not isinstance(c, dict):
                errors[ckey] = _("A criterion is an object.")
                continue
            cid = c.get("id")
            if cid is not None:
                if not isinstance(cid, int) or isinstance(cid, bool) or cid not in known_ids:
                    errors[f"{ckey}.id"] = _("No such criterion on this scorecard.")
                elif cid in seen:
                    errors[f"{ckey}.id"] = _("This criterion appears twice.")
                seen.add(cid)
            _check_text(errors, f"{ckey}.question", c.get("question"), 500, required=True)
            weight = c.get("weight", 1)
            if not _is_number(weight) or not 0 < weight <= MAX_WEIGHT:
                errors[f"{ckey}.weight"] = _("A number above 0, at most %(n)s.") % {"n": MAX_WEIGHT}
            scale = c.get("scale", Scale.YES_NO)
            if scale not in Scale.values:
                errors[f"{ckey}.scale"] = _("Unknown scale; one of: %(scales)s.") % {
                    "scales": ", ".join(Scale.values)
                }
            elif scale == Scale.CUSTOM:
                _check_points(errors, f"{ckey}.points", c.get("points"))
            flags = {}
            for flag in ("na_allowed", "auto_fail", "bonus"):
                value = c.get(flag, False)
                if not isinstance(value, bool):
                    errors[f"{ckey}.{flag}"] = _("True or false.")
                flags[flag] = bool(value)
            if flags["bonus"] and flags["auto_fail"]:
                errors[f"{ckey}.auto_fail"] = _("A bonus criterion cannot fail an evaluation.")
            if not flags["bonus"]:
                regular += 1
            _check_text(errors, f"{ckey}.recommendation", c.get("recommendation"), MAX_BODY)
            check = c.get("auto_check") or ""
            if check and check not in AUTO_CHECKS:
                errors[f"{ckey}.auto_check"] = _("Unknown automatic check; one of: %(checks)s.") % {
                    "checks": ", ".join(AUTO_CHECKS)
                }
            elif check and scale != Scale.YES_NO:
                errors[f"{ckey}.auto_check"] = _(
                    "An automatic check answers yes or no: use the yes/no scale."
                )
            kept.append(
                {
                    "id": cid,
                    "question": (c.get("question") or "").strip(),
                    "weight": weight,
                    "scale": scale,
                    "points": c.get("points") if scale == Scale.CUSTOM else [],
                    **flags,
                    "recommendation": (c.get("recommendation") or "").strip(),
                    # Only when set: versions written before the checks compare equal.
                    **({"auto_check": check} if check else {}),
                }
            )
        out.append({"title": (section.get("title") or "").strip(), "criteria": kept})
    if total > MAX_CRITERIA:
        errors["sections"] = _("At most %(n)s criteria.") % {"n": MAX_CRITERIA}
    elif not regular and "sections" not in errors and not errors:
        errors["sections"] = _("At least one criterion must not be a bonus.")
    if errors:
        raise FieldErrors(errors)
    return out


def _with_ids(scorecard: Scorecard, sections: list[dict]) -> list[dict]:
    """New criteria get their stable id (a Criterion row)."""
    for section in sections:
        for c in section["criteria"]:
            if c["id"] is None:
                c["id"] = Criterion.objects.create(scorecard=scorecard).pk
    return sections


def _check_name(name) -> str:
    errors: dict[str, str] = {}
    _check_text(errors, "name", name, 200, required=True)
    if errors:
        raise FieldErrors(errors)
    return name.strip()


def scorecard_create(
    *, access: Access, name, sections, pass_mark=80, media_types=(), queue_names=()
) -> Scorecard:
    access.require(Perm.MANAGE_SCORECARDS)
    # Every error at once: the name's and the definition's.
    errors: dict[str, str] = {}
    try:
        name = _check_name(name)
    except FieldErrors as exc:
        errors.update(exc.errors)
    try:
        sections = check_definition(
            sections=sections,
            pass_mark=pass_mark,
            media_types=list(media_types),
            queue_names=list(queue_names),
            known_ids=set(),
        )
    except FieldErrors as exc:
        errors.update(exc.errors)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        card = Scorecard.objects.create(
            workspace=access.workspace, name=name, created_by=access.user
        )
        version = ScorecardVersion.objects.create(
            scorecard=card,
            number=1,
            pass_mark=pass_mark,
            media_types=list(media_types),
            queue_names=list(queue_names),
            sections=_with_ids(card, sections),
            created_by=access.user,
        )
        card.current_version = version
        card.save(update_fields=["current_version", "updated_at"])
        audit_changes(
            workspace=access.workspace,
            obj=card,
            actor=access.user,
            action="created",
            changes=[("version", "", "1")],
        )
    return card


def scorecard_update(
    *,
    access: Access,
    scorecard: Scorecard,
    name=None,
    sections=None,
    pass_mark=None,
    media_types=None,
    queue_names=None,
    active=None,
) -> tuple[Scorecard, bool]:
    """Change what is given. A change of the questions, pass mark or targets makes a new
    version once the current one has evaluations (old evaluations keep theirs); before that
    the current version is changed in place. Answers (scorecard, whether a version was made)."""
    access.require(Perm.MANAGE_SCORECARDS)
    current = scorecard.current_version
    changes = []
    errors: dict[str, str] = {}
    new_name = scorecard.name
    if name is not None:
        try:
            new_name = _check_name(name)
        except FieldErrors as exc:
            errors.update(exc.errors)
    if active is not None and not isinstance(active, bool):
        raise FieldErrors.one("active", _("True or false."))
    definition_given = any(v is not None for v in (sections, pass_mark, media_types, queue_names))
    if errors and not definition_given:
        raise FieldErrors(errors)
    made = False
    with transaction.atomic():
        scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
        current = scorecard.current_version
        if definition_given:
            known = set(scorecard.criteria.values_list("pk", flat=True))
            try:
                clean = check_definition(
                    sections=sections if sections is not None else current.sections,
                    pass_mark=pass_mark if pass_mark is not None else current.pass_mark,
                    media_types=media_types if media_types is not None else current.media_types,
                    queue_names=queue_names if queue_names is not None else current.queue_names,
                    known_ids=known,
                )
            except FieldErrors as exc:
                raise FieldErrors({**errors, **exc.errors}) from None
            if errors:
                raise FieldErrors(errors)
            fields = {
                "pass_mark": pass_mark if pass_mark is not None else current.pass_mark,
                "media_types": media_types if media_types is not None else current.media_types,
                "queue_names": queue_names if queue_names is not None else current.queue_names,
                "sections": clean,
            }
            # The same definition sent again (a page saves it whole) changes nothing.
            unchanged = all(getattr(current, k) == v for k, v in fields.items()) and all(
                c["id"] is not None for sec in clean for c in sec["criteria"]
            )
            if unchanged:
                pass
            elif Evaluation.objects.filter(version=current).exists():
                fields["sections"] = _with_ids(scorecard, clean)
                version = ScorecardVersion.objects.create(
                    scorecard=scorecard,
                    number=current.number + 1,
                    created_by=access.user,
                    **fields,
                )
                scorecard.current_version = version
                changes.append(("version", str(current.number), str(version.number)))
                made = True
            else:
                fields["sections"] = _with_ids(scorecard, clean)
                for k, v in fields.items():
                    setattr(current, k, v)
                current.save()
                changes.append(("definition", "", str(current.number)))
        if new_name != scorecard.name:
            changes.append(("name", scorecard.name, new_name))
            scorecard.name = new_name
        if active is not None and active != scorecard.active:
            changes.append(("active", str(scorecard.active), str(active)))
            scorecard.active = active
        scorecard.save()
        if changes:
            audit_changes(
                workspace=access.workspace,
                obj=scorecard,
                actor=access.user,
                action="updated",
                changes=changes,
            )
    return scorecard, made
