"""Alert rules in words, for the rule pages: "NPS 0–6 (detractor) and the customer comment
mentions “refund” → create a ticket (priority High, status New) in segment Lisbon, assign it
to the segment's manager, notify Ana Lima by email". The stored criteria and actions
(caredesk.feedback.rules, caredesk.feedback.schemas) are never shown as data."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from caredesk.analysis.models import Topic
from caredesk.care.models import Priority, Status
from caredesk.feedback.models import AlertRule, Question
from caredesk.feedback.rules import NPS_BANDS
from caredesk.workspaces.models import Segment, User


def category_label(category: str) -> str:
    return {
        "detractor": _("detractor"),
        "passive": _("passive"),
        "promoter": _("promoter"),
    }.get(category, category)


def _quoted(text) -> str:
    return _("“%(text)s”") % {"text": text}


def _join(items: list[str], word: str) -> str:
    """ "a, b and c" with the language's word for and/or."""
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s %(word)s %(last)s") % {
        "items": ", ".join(items[:-1]),
        "word": word,
        "last": items[-1],
    }


def _and() -> str:
    return pgettext("joining a list", "and")


def _or() -> str:
    return pgettext("joining a list", "or")


def _choice_label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


@dataclass
class Names:
    """Names of what rules refer to by id, read once for a page of rules."""

    segments: dict[int, str] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)
    questions: dict[tuple[int, str], str] = field(default_factory=dict)
    topics: dict[int, str] = field(default_factory=dict)


def names_for(rules: list[AlertRule]) -> Names:
    segment_ids, user_ids, survey_ids, topic_ids = set(), set(), set(), set()
    for rule in rules:
        criteria, actions = rule.criteria or {}, rule.actions or {}
        topic_ids.update(t for t in criteria.get("topics", []) if isinstance(t, int))
        for value in (criteria.get("segment"), (actions.get("create_case") or {}).get("segment")):
            if str(value or "").isdigit():
                segment_ids.add(int(value))
        user = (actions.get("assign") or {}).get("user")
        if str(user or "").isdigit():
            user_ids.add(int(user))
        user_ids.update(
            int(u) for u in (actions.get("notify") or {}).get("users", []) if str(u).isdigit()
        )
        if rule.survey_id:
            survey_ids.add(rule.survey_id)
    names = Names()
    if topic_ids:
        names.topics = dict(Topic.objects.filter(pk__in=topic_ids).values_list("pk", "name"))
    if segment_ids:
        names.segments = dict(Segment.objects.filter(pk__in=segment_ids).values_list("pk", "name"))
    if user_ids:
        names.users = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)}
    if survey_ids:
        names.questions = {
            (survey_id, key): label
            for survey_id, key, label in Question.objects.filter(
                survey_id__in=survey_ids
            ).values_list("survey_id", "key", "label")
        }
    return names


def _segment(names: Names, value) -> str:
    name = names.segments.get(int(value)) if str(value).isdigit() else None
    return name or _("a segment that no longer exists")


def _user(names: Names, value) -> str:
    name = names.users.get(int(value)) if str(value).isdigit() else None
    return name or _("a user who no longer exists")


def _question(names: Names, rule: AlertRule, key: str) -> str:
    return _quoted(names.questions.get((rule.survey_id, key), key))


def _score(names: Names, rule: AlertRule, row: dict) -> str:
    kind, low, high = row.get("kind"), row.get("min"), row.get("max")
    span = f"{low}–{high}" if low != high else f"{low}"
    if kind == "nps":
        band = next((b for b, lh in NPS_BANDS.items() if list(lh) == [low, high]), None)
        if band:
            return _("NPS %(range)s (%(category)s)") % {
                "range": span,
                "category": category_label(band),
            }
        return _("NPS %(range)s") % {"range": span}
    if kind == "csat":
        return _("CSAT %(range)s") % {"range": span}
    return _("%(question)s rated %(range)s") % {
        "question": _question(names, rule, kind),
        "range": span,
    }


def criteria_phrases(rule: AlertRule, names: Names) -> list[str]:
    criteria = rule.criteria or {}
    out = []
    if "score_min" in criteria or "score_max" in criteria:
        out.append(
            _("score %(min)s–%(max)s")
            % {"min": criteria.get("score_min", "…"), "max": criteria.get("score_max", "…")}
        )
    out += [_score(names, rule, row) for row in criteria.get("scores", [])]
    if cats := criteria.get("nps_category"):
        out.append(
            _("NPS category %(categories)s")
            % {"categories": _join([category_label(c) for c in cats], _or())}
        )
    for row in criteria.get("answers", []):
        values = {
            "question": _question(names, rule, row.get("question", "")),
            "value": _quoted(row.get("value", "")),
        }
        if row.get("op") == "contains":
            out.append(_("the answer to %(question)s includes %(value)s") % values)
        else:
            out.append(_("the answer to %(question)s is %(value)s") % values)
    if words := criteria.get("keywords"):
        out.append(
            _("the customer comment mentions %(words)s")
            % {"words": _join([_quoted(w) for w in words], _or())}
        )
    if "segment" in criteria:
        out.append(
            _("the response is from %(segment)s or a segment below it")
            % {"segment": _segment(names, criteria["segment"])}
        )
    for row in criteria.get("transaction", []):
        values = {"field": _quoted(row.get("field", "")), "value": _quoted(row.get("value", ""))}
        if row.get("op") == "contains":
            out.append(_("the transaction field %(field)s contains %(value)s") % values)
        else:
            out.append(_("the transaction field %(field)s is %(value)s") % values)
    if sentiment := criteria.get("sentiment"):
        out.append(_sentiment(sentiment))
    if topics := criteria.get("topics"):
        named = [_quoted(names.topics.get(t) or _("a topic that no longer exists")) for t in topics]
        out.append(_("the customer comment is about %(topics)s") % {"topics": _join(named, _or())})
    return out


def sentiment_label(label: str) -> str:
    return {
        "negative": pgettext("sentiment", "negative"),
        "neutral": pgettext("sentiment", "neutral"),
        "positive": pgettext("sentiment", "positive"),
    }.get(label, label)


def _sentiment(spec: dict) -> str:
    parts = []
    if labels := spec.get("labels"):
        parts.append(
            _("the customer comment's sentiment is %(labels)s")
            % {"labels": _join([sentiment_label(x) for x in labels], _or())}
        )
    low, high = spec.get("min"), spec.get("max")
    if low is not None and high is not None:
        parts.append(
            _("its sentiment score is from %(min)s to %(max)s") % {"min": low, "max": high}
        )
    elif low is not None:
        parts.append(_("its sentiment score is at least %(min)s") % {"min": low})
    elif high is not None:
        parts.append(_("its sentiment score is at most %(max)s") % {"max": high})
    return _join(parts, _and())


def action_phrases(rule: AlertRule, names: Names) -> list[str]:
    actions = rule.actions or {}
    out = []
    if (case := actions.get("create_case")) is not None:
        values = {
            "priority": _choice_label(Priority, case.get("priority") or Priority.HIGH),
            "status": _choice_label(Status, case.get("status") or Status.NEW),
        }
        segment = case.get("segment", "response")
        if segment in ("response", "", None):
            out.append(
                _(
                    "create a ticket (priority %(priority)s, status %(status)s) in the "
                    "response's segment"
                )
                % values
            )
        else:
            out.append(
                _(
                    "create a ticket (priority %(priority)s, status %(status)s) in segment "
                    "%(segment)s"
                )
                % {**values, "segment": _segment(names, segment)}
            )
    if assign := actions.get("assign"):
        to = assign.get("to")
        if to == "segment_manager":
            out.append(_("assign it to the segment's manager"))
        elif to == "queue":
            out.append(
                _("assign it to the queue %(queue)s") % {"queue": _quoted(assign.get("queue", ""))}
            )
        elif to == "user":
            out.append(_("assign it to %(user)s") % {"user": _user(names, assign.get("user"))})
    if notify := actions.get("notify"):
        users = [_user(names, u) for u in notify.get("users", [])]
        out.append(_("notify %(users)s by email") % {"users": _join(users, _and())})
    if webhook := actions.get("webhook"):
        out.append(_("call the webhook %(url)s") % {"url": webhook.get("url", "")})
    return out


def short_actions(rule: AlertRule) -> list[str]:
    """The actions' names, for the rule list."""
    labels = {
        "create_case": _("Create a ticket"),
        "assign": _("Assign"),
        "notify": _("Notify by email"),
        "webhook": _("Webhook"),
    }
    return [labels.get(key, key) for key in (rule.actions or {})]


@dataclass
class RuleText:
    criteria: list[str]
    actions: list[str]

    @property
    def sentence(self) -> str:
        when = _join(self.criteria, _and()) if self.criteria else _("every response")
        do = ", ".join(self.actions) if self.actions else _("nothing")
        return f"{when} → {do}"


def describe(rule: AlertRule, names: Names | None = None) -> RuleText:
    names = names or names_for([rule])
    return RuleText(criteria_phrases(rule, names), action_phrases(rule, names))
