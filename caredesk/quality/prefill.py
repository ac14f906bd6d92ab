"""Automatic checks a scorecard criterion may name (`auto_check` in a version's criterion),
answered from the stored analysis of the activity (caredesk.analysis.models.Analysis, source
"activity"): the evaluate page offers the answer, checked, with the evidence beside it, and
the evaluator keeps or changes it. Only yes/no criteria take a check; the score is still
computed by quality.scoring from what is posted."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from caredesk.analysis.models import Analysis, SourceKind

# The analysis' threshold: a score below it is negative (Analysis docstring).
NEGATIVE_BELOW = -0.05

AUTO_CHECKS = {
    "customer_not_negative": gettext_lazy("The customer ended not negative"),
    "no_escalation": gettext_lazy("The customer did not ask for a manager"),
    "no_repetition": gettext_lazy("The customer did not have to repeat themselves"),
    "no_churn": gettext_lazy("The customer did not threaten to cancel"),
    "greeting": gettext_lazy("The agent opened with a greeting"),
}

# What an agent's first message starts a conversation with, per language (lower case,
# whole words).
GREETINGS = (
    "hi",
    "hello",
    "good morning",
    "good afternoon",
    "welcome",
    "olá",
    "oi",
    "bom dia",
    "boa tarde",
    "ciao",
    "buongiorno",
    "salve",
    "buonasera",
    "здравейте",
    "добър ден",
    "добро утро",
)


@dataclass(frozen=True)
class Prefill:
    """An automatic check's answer (1 yes, 0 no) and why, in words."""

    check: str
    value: int
    evidence: str

    @property
    def check_label(self) -> str:
        return str(AUTO_CHECKS.get(self.check, self.check))


def check_choices() -> list[tuple[str, str]]:
    none = pgettext("automatic check", "None")
    return [("", none), *((key, str(label)) for key, label in AUTO_CHECKS.items())]


def analysis_of(activity) -> Analysis | None:
    if activity is None:
        return None
    return Analysis.objects.filter(source=SourceKind.ACTIVITY, source_id=activity.pk).first()


def _snippet(text: str, start: int, end: int, room: int = 40) -> str:
    left = max(0, start - room)
    right = min(len(text), end + room)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def _signal(analysis: Analysis, kind: str, check: str) -> Prefill:
    found = [s for s in analysis.signals or [] if s.get("kind") == kind]
    if not found:
        return Prefill(check, 1, _("No such phrase in the customer's messages."))
    s = found[0]
    units = analysis.units or []
    text = units[s["unit"]]["text"] if 0 <= s.get("unit", -1) < len(units) else ""
    where = _snippet(text, s.get("start", 0), s.get("end", 0)) if text else s.get("phrase", "")
    return Prefill(check, 0, _("Message %(n)s: “%(text)s”") % {"n": s["unit"] + 1, "text": where})


def _ended(analysis: Analysis) -> Prefill | None:
    end = analysis.end_sentiment
    if end is None:
        return None
    customer = [(i, u) for i, u in enumerate(analysis.units or []) if u.get("side") == "customer"]
    last = customer[-1] if customer else None
    words = ""
    if last is not None:
        words = ", ".join(f"“{e['word']}”" for e in last[1].get("evidence") or [] if e.get("word"))
    evidence = _("Sentiment of the customer's last messages: %(score)s") % {"score": f"{end:+.2f}"}
    if last is not None:
        evidence += " · " + _("message %(n)s") % {"n": last[0] + 1}
        if words:
            evidence += f" ({words})"
    return Prefill("customer_not_negative", int(end >= NEGATIVE_BELOW), evidence)


def _greeting(analysis: Analysis) -> Prefill | None:
    first = next(
        ((i, u) for i, u in enumerate(analysis.units or []) if u.get("side") == "agent"), None
    )
    if first is None:
        return None
    i, unit = first
    text = unit.get("text", "")
    lowered = text.lower()
    for phrase in GREETINGS:
        at = _word_at(lowered, phrase)
        if at >= 0:
            return Prefill(
                "greeting",
                1,
                _("Message %(n)s: “%(text)s”") % {"n": i + 1, "text": _snippet(text, at, at)},
            )
    return Prefill(
        "greeting",
        0,
        _("No greeting in the agent's first message (message %(n)s).") % {"n": i + 1},
    )


def _word_at(text: str, phrase: str) -> int:
    start = 0
    while (at := text.find(phrase, start)) >= 0:
        before = text[at - 1] if at else " "
        after = text[at + len(phrase)] if at + len(phrase) < len(text) else " "
        if not before.isalnum() and not after.isalnum():
            return at
        start = at + 1
    return -1


def answer(check: str, analysis: Analysis) -> Prefill | None:
    if check == "customer_not_negative":
        return _ended(analysis)
    if check == "no_escalation":
        return _signal(analysis, "escalation", check)
    if check == "no_repetition":
        return _signal(analysis, "repetition", check)
    if check == "no_churn":
        return _signal(analysis, "churn", check)
    if check == "greeting":
        return _greeting(analysis)
    return None


def prefills(version, activity) -> dict[int, Prefill]:
    """criterion id → the automatic check's answer, for the version's criteria that name one,
    from the activity's analysis (none without an analysis)."""
    wanted = [
        (int(c["id"]), c["auto_check"])
        for section in version.sections or []
        for c in section.get("criteria", [])
        if c.get("auto_check") and c.get("id") is not None
    ]
    if not wanted:
        return {}
    analysis = analysis_of(activity)
    if analysis is None:
        return {}
    out = {}
    for cid, check in wanted:
        found = answer(check, analysis)
        if found is not None:
            out[cid] = found
    return out
