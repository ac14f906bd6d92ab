"""Every page of the walk (tests/visibility/test_walk.py), in Portuguese, Italian and
Bulgarian: it answers, says which language it is in, shows none of the English source of a
translated string, and shows no date in another language's format."""

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.test import Client

from caredesk.feedback.models import AlertRule, Survey
from caredesk.routing.models import Queue, Skill
from caredesk.webchat.models import DEFAULT_GREETING, DEFAULT_TITLE, WidgetSettings
from caredesk.workspaces.models import Segment, User

from .test_walk import page_probes

LOCALE = Path(__file__).resolve().parents[2] / "caredesk" / "locale"
LANGS = {"pt-br": "pt_BR", "it": "it", "bg": "bg"}
# A date or time written the English way, or in another language's numeric form.
FOREIGN_DATES = {
    "pt-br": re.compile(r"\b\d{4}-\d\d-\d\d \d\d:\d\d|\b\d\d:\d\d ?[AP]M\b|\b\d\d\.\d\d\.\d{4}\b"),
    "it": re.compile(r"\b\d{4}-\d\d-\d\d \d\d:\d\d|\b\d\d:\d\d ?[AP]M\b|\b\d\d\.\d\d\.\d{4}\b"),
    "bg": re.compile(r"\b\d{4}-\d\d-\d\d \d\d:\d\d|\b\d\d:\d\d ?[AP]M\b|\b\d\d/\d\d/\d{4}\b"),
}
ENGLISH_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}\b")


class _Text(HTMLParser):
    """The text a person reads: text nodes and the attributes shown as text."""

    SHOWN = {"placeholder", "title", "aria-label", "alt"}

    def __init__(self):
        super().__init__()
        self.texts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.texts += [v.strip() for k, v in attrs if k in self.SHOWN and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def shown_texts(body: str) -> list[str]:
    parser = _Text()
    parser.feed(body)
    return parser.texts


def _sources(lang: str) -> set[str]:
    """English source strings whose translation differs (a string translated as itself, such
    as "Feedback" in Italian, proves nothing)."""
    out = set()
    for name in ("django.po",):
        for e in polib.pofile(str(LOCALE / LANGS[lang] / "LC_MESSAGES" / name)):
            if e.obsolete or "fuzzy" in e.flags or not e.msgstr or e.msgid_plural:
                continue
            if e.msgstr != e.msgid and "%" not in e.msgid and len(e.msgid) > 3:
                out.add(" ".join(e.msgid.split()))
    return out


def _data() -> set[str]:
    """Names people gave things (users, queues, segments, rules, the widget's texts): shown as
    typed, whatever the reader's language, even when one is also an English word ("Manager")."""
    out = {DEFAULT_GREETING, DEFAULT_TITLE}  # the widget's texts until an admin writes theirs
    for u in User.objects.all():
        out |= {u.first_name, u.last_name, u.get_full_name(), u.username}
    for model in (Queue, Skill, Segment, AlertRule, Survey):
        out |= set(model.objects.values_list("name", flat=True))
    for settings in WidgetSettings.objects.all():
        out |= {str(v) for v in vars(settings).values() if isinstance(v, str)}
        out |= {str(f.get("label", "")) for f in settings.pre_chat_fields or []}
    # A scorecard's questions ("Clear") as its author wrote them.
    from caredesk.quality.models import ScorecardVersion

    for version in ScorecardVersion.objects.all():
        for section in version.sections or []:
            out.add(str(section.get("title", "")))
            out |= {str(c.get("question", "")) for c in section.get("criteria", [])}
    return {" ".join(t.split()) for t in out if t}


@pytest.mark.parametrize("lang", sorted(LANGS))
def test_every_page_speaks_the_users_language(world, scene, lang):
    User.objects.filter(pk=world.admin.pk).update(language=lang)
    client = Client()
    client.force_login(world.admin)
    english = _sources(lang) - _data()
    problems = []
    for probe in page_probes(scene, world):
        if probe.write or probe.url.endswith(".xlsx"):
            continue
        extra = {"HTTP_HX_REQUEST": "true"} if probe.htmx else {}
        r = client.get(probe.url, **extra)
        if r.status_code >= 400:
            problems.append(f"{probe.url}: {r.status_code}")
            continue
        if r.status_code != 200 or "html" not in r.get("Content-Type", ""):
            continue
        body = r.content.decode()
        if "<html" in body and f'<html lang="{lang}"' not in body:
            problems.append(f"{probe.url}: not <html lang={lang}>")
        for text in shown_texts(body):
            text = html.unescape(text)
            if text in english:
                problems.append(f"{probe.url}: English {text!r}")
            if FOREIGN_DATES[lang].search(text) or ENGLISH_MONTH.search(text):
                problems.append(f"{probe.url}: date {text!r}")
    assert problems == [], "\n".join(problems)
