"""The Tickets tab in each language (issue 12): every page of it renders, shows no marked
string of its templates untranslated, and writes dates in the locale's one format, in the
workspace's time zone; the filters' days are the workspace's days."""

import datetime as dt
import re
from pathlib import Path

import polib
import pytest

from caredesk.care.models import CaseShare, CaseTodo
from caredesk.workspaces.models import User, Workspace

LOCALE = Path(__file__).resolve().parents[2] / "caredesk" / "locale"
HX = {"HTTP_HX_REQUEST": "true"}
LANGS = {"pt-br": "pt_BR", "it": "it", "bg": "bg"}
# The date and time of 2026-11-20 23:30 UTC in Europe/Sofia (UTC+2), per language.
SOFIA = {
    "en": "21 Nov 2026, 01:30",
    "pt-br": "21/11/2026 01:30",
    "it": "21/11/2026 01:30",
    "bg": "21.11.2026 01:30",
}
DAY = {"en": "21 Nov 2026", "pt-br": "21/11/2026", "it": "21/11/2026", "bg": "21.11.2026"}
REPORTED = dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC)


def _english_of_our_templates(lang):
    """The source texts of the Tickets templates that have a different translation: none of
    them may show on a page in that language."""
    po = polib.pofile(str(LOCALE / LANGS[lang] / "LC_MESSAGES" / "django.po"))
    return {
        e.msgid
        for e in po
        if not e.obsolete
        and not e.msgid_plural
        and e.msgstr
        and e.msgstr != e.msgid
        and "%(" not in e.msgid
        and "<" not in e.msgid
        and all("templates/care/" in f for f, _ in e.occurrences)
    }


@pytest.fixture
def sofia(world):
    Workspace.objects.filter(pk=world.support.pk).update(time_zone="Europe/Sofia")
    case = world.make_case(
        world.support,
        segment=world.lisbon,
        owner=world.manager,
        status="open",
        origin="alert",
        reported_at=REPORTED,
        customer_email="ana@example.com",
        customer_comment="Late",
    )
    CaseTodo.objects.create(case=case, text="Call back", due_date=dt.date(2026, 11, 21))
    CaseShare.objects.create(case=case, user=world.coach, shared_by=world.manager)
    return case


@pytest.mark.parametrize("lang", ["en", "pt-br", "it", "bg"])
def test_every_tickets_page_in_each_language(world, as_user, sofia, lang):
    User.objects.filter(pk=world.admin.pk).update(language=lang)
    client = as_user(world.admin)
    window = {"created_from": "2026-11-01", "created_to": "2026-11-30"}
    pages = {
        "list": client.get("/w/support/tickets/", window),
        "inbox": client.get("/w/support/tickets/inbox/"),
        "dialog": client.get(f"/w/support/tickets/{sofia.number}/", **HX),
        "new": client.get("/w/support/tickets/new/"),
    }
    leftovers = _english_of_our_templates(lang) if lang != "en" else set()
    for name, r in pages.items():
        assert r.status_code == 200, name
        html = r.content.decode()
        shown = {m for m in leftovers if re.search(rf">\s*{re.escape(m)}\s*<", html)}
        assert shown == set(), (name, shown)
    # One date-and-time format per language, in the workspace's zone (Sofia: the next day).
    when = SOFIA[lang]
    assert f">{when}</time>" in pages["list"].content.decode()
    assert f">{when}</time>" in pages["inbox"].content.decode()
    dialog = pages["dialog"].content.decode()
    assert f">{when}</time></dd>" in dialog
    assert f" {DAY[lang]}</span>" in dialog  # the to-do's due date
    for r in pages.values():
        assert not re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", r.content.decode())


def test_the_origin_and_alert_words_follow_the_glossary(world, as_user, sofia):
    User.objects.filter(pk=world.coach.pk).update(language="it")
    html = as_user(world.coach).get("/w/support/tickets/inbox/").content.decode()
    assert "Mostra anche i ticket da chat, email, chiamata e manuali" in html
    assert "Include every origin" not in html
    html = as_user(world.coach).get("/w/support/tickets/inbox/", {"origins": "all"}).content
    assert "Solo ticket dal feedback" in html.decode()
    User.objects.filter(pk=world.coach.pk).update(language="en")
    dialog = as_user(world.coach).get(f"/w/support/tickets/{sofia.number}/", **HX).content
    assert "<dd>Alert rule</dd>" in dialog.decode() and "Action alert" not in dialog.decode()


@pytest.mark.parametrize(
    "zone, day, other_day",
    [
        ("America/Sao_Paulo", "2026-11-20", "2026-11-21"),
        ("Europe/Sofia", "2026-11-21", "2026-11-20"),
    ],
)
def test_a_ticket_at_2330_utc_counts_on_the_workspaces_day(world, as_user, zone, day, other_day):
    Workspace.objects.filter(pk=world.support.pk).update(time_zone=zone)
    case = world.make_case(world.support, segment=world.lisbon, reported_at=REPORTED)
    client = as_user(world.admin)

    def numbers(d):
        r = client.get("/w/support/tickets/", {"created_from": d, "created_to": d})
        return [int(n) for n in re.findall(r'data-number="(\d+)"', r.content.decode())]

    assert numbers(day) == [case.number]
    assert numbers(other_day) == []


def test_the_email_to_the_customer_is_proposed_in_the_workspaces_language(world, as_user):
    Workspace.objects.filter(pk=world.support.pk).update(language="pt-br")
    case = world.make_case(world.support, segment=world.lisbon, customer_email="ana@example.com")
    User.objects.filter(pk=world.admin.pk).update(language="bg")
    html = as_user(world.admin).get(f"/w/support/tickets/{case.number}/", **HX).content.decode()
    # The agent reads Bulgarian; the customer will read the subject in Portuguese.
    assert f'value="Sobre o seu ticket nº {case.number}"' in html
    assert "Изпрати имейл" in html


def test_a_moved_ticket_message_and_log_are_translated(world, as_user):
    case = world.make_case(world.support, segment=world.lisbon, owner=world.manager)
    User.objects.filter(pk=world.manager.pk).update(language="it")
    client = as_user(world.manager)
    r = client.post(
        f"/w/support/tickets/{case.number}/",
        {
            "priority": "high",
            "status": "new",
            "segment": world.lisbon.pk,
            "owner": world.manager.pk,
            "comment": "Più urgente",
        },
        **HX,
    )
    html = r.content.decode()
    assert (
        f'<div class="msg" role="status" tabindex="-1">Ticket n. {case.number} aggiornato.</div>'
        in html
    )
    log = html.split('data-panel="log"')[1]
    assert "Aggiornato</div>" in log
    assert '<span class="field">Priorità</span> <span class="old">Media</span>' in log
