"""The Tickets tab in a real browser, after issue 12: an Italian coach works the inbox and a
ticket in Italian (dates dd/mm/yyyy hh:mm in the workspace's zone); the list's headings and
email addresses fit at 1280 px and narrower in every language; the ticket dialog is usable
from the keyboard, has one comment box and one action button per tab, and its segment picker
shows a plain name when closed; axe-core finds nothing serious. Screenshots go to
test-artifacts/tickets-ui/."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import timezone

from tests.browser import accessibility_problems, logged_in_page, marks, page_errors, screenshots

pytestmark = marks
shot = screenshots("tickets-ui/")
LONG_EMAIL = "maria.conceicao.albuquerque-figueiredo@supermercados-exemplo.com.br"

# How many lines of text an element's content takes, and whether it is cut without a title.
LINES = """el => { const r = document.createRange(); r.selectNodeContents(el);
  const tops = new Set([...r.getClientRects()].map(b => Math.round(b.top)));
  return tops.size; }"""
CUT_HEADERS = """() => [...document.querySelectorAll('table.tickets thead th')]
  .filter(th => th.scrollWidth > th.clientWidth + 1 || th.scrollHeight > th.clientHeight + 1)
  .map(th => th.textContent.trim())"""
# Cells that must show whole: dates, badges, the "Assign to me" button.
CUT_CELLS = """() => [...document.querySelectorAll(
    'table.tickets td time, table.tickets td .badge, table.tickets td .assign')]
  .filter(el => { const td = el.closest('td'); return td.scrollWidth > td.clientWidth; })
  .map(el => el.textContent.trim())"""


def _local(when, zone="Europe/Rome"):
    return when.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%d/%m/%Y %H:%M")


@pytest.fixture
def italian_scene(world):
    from caredesk.care.models import CaseShare, CaseTodo
    from caredesk.workspaces.models import User, Workspace

    Workspace.objects.filter(pk=world.support.pk).update(time_zone="Europe/Rome")
    User.objects.filter(pk=world.coach.pk).update(language="it")
    # 22:30 UTC: in Rome it is already 23:30 (or the next day's 00:30 in summer time).
    reported = (timezone.now() - dt.timedelta(days=2)).replace(
        hour=22, minute=30, second=0, microsecond=0
    )
    case = world.make_case(
        world.support,
        segment=world.lisbon,
        owner=world.manager,
        status="open",
        priority="high",
        origin="survey_response",
        reported_at=reported,
        customer_email="giulia.bianchi@example.it",
        customer_comment="Il pacco è arrivato rotto.",
    )
    # A coach sees the tickets shared with them (coaches have inbox_access by default).
    CaseShare.objects.create(case=case, user=world.coach, shared_by=world.manager)
    CaseTodo.objects.create(
        case=case,
        text="Richiamare la cliente",
        due_date=timezone.localdate() + dt.timedelta(days=1),
    )
    return case, reported


def test_an_italian_coach_opens_the_inbox_and_a_ticket(
    world, italian_scene, live_server, transactional_db, browser
):
    from playwright.sync_api import expect

    case, reported = italian_scene
    # An Italian browser, as an Italian coach has (it decides how <input type=date> shows).
    page = logged_in_page(
        browser,
        world.coach,
        live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="it-IT",
    )
    errors = page_errors(page)
    page.goto(f"{live_server.url}/w/support/tickets/inbox/")

    expect(page.locator("h1")).to_have_text("Posta in arrivo")
    expect(page.locator(".subnav a")).to_have_text(
        ["Tutti i ticket", "Casi di coaching", "Posta in arrivo"]
    )
    expect(page.locator(".view-tabs a[data-view]")).to_have_text(
        [
            "Aperti",
            "Scaduti",
            "Miei e condivisi con me",
            "Condivisi con me",
            "Risolti e chiusi",
            "Tutti",
        ]
    )
    expect(page.locator("#origins-toggle")).to_have_text(
        "Mostra anche i ticket da chat, email, chiamata e manuali"
    )
    expect(page.locator("#summary-owners thead th")).to_have_text(
        ["Responsabile", "Aperti", "Scaduti", "Cerchio chiuso"]
    )
    row = page.locator(f"#inbox-{case.number}")
    expect(row.locator("td")).to_have_text(
        [
            f"#{case.number}",
            "giulia.bianchi@example.it",
            "Il pacco è arrivato rotto.",
            "Lisbon",
            "Manager",
            "Alta",
            "Aperto",
            _local(reported),
            "1",
            "1",
            "",
        ]
    )
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", _local(reported))
    expect(page.locator(".inbox > p.muted").last).to_have_text("1 ticket.")
    assert accessibility_problems(page) == []
    shot(page, "it-inbox")

    # Open the ticket from the keyboard: focus moves into the dialog.
    link = row.locator("td.num a")
    link.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#ticket-dialog")
    expect(dialog.locator("h2")).to_contain_text(f"Ticket n. {case.number}")
    expect(dialog.locator("h2 .badge")).to_have_text(["Alta", "Aperto"])
    assert page.evaluate("document.activeElement.closest('dialog') !== null")
    expect(dialog.locator(".head-meta")).to_have_text(f"Ultima attività {_local(reported)}")
    facts = dialog.locator(".facts dt")
    expect(facts).to_have_text(
        [
            "ID risposta",
            "Email del cliente",
            "Segnalato il",
            "Segmento di origine",
            "Segmento attuale",
            "Responsabile del ticket",
            "Origine",
            "Commento del cliente",
        ]
    )
    expect(dialog.locator(".facts dd").nth(2)).to_have_text(_local(reported))
    expect(dialog.locator(".facts dd").nth(6)).to_have_text("Risposta al sondaggio")
    expect(dialog.locator(".subtabs [role=tab]")).to_have_text(
        [
            "Aggiorna ticket",
            "Commenti 0",
            "Email 0",
            "To-do 1",
            "Condivisione 1",
            "Storico del cliente 0",
            "Registro 0",
        ]
    )
    update = dialog.locator("[data-panel=update]")
    expect(update.locator("label .lbl").nth(2)).to_have_text("Commento *")
    expect(update.locator("button[type=submit]")).to_have_text("Aggiorna ticket")
    expect(update.locator("select[name=status] option:checked")).to_have_text("Aperto")
    expect(dialog.locator(".dialog-foot button")).to_have_text(["Chiudi"])
    assert accessibility_problems(page) == []
    shot(page, "it-dialog")

    dialog.locator(".subtabs [data-tab=todos]").click()
    due = timezone.localdate() + dt.timedelta(days=1)
    expect(dialog.locator(".todo .due")).to_have_text(f"scadenza {due:%d/%m/%Y}")
    expect(dialog.locator("[data-panel=todos] button[type=submit]").last).to_have_text(
        "Aggiungi to-do"
    )
    shot(page, "it-dialog-todos")

    # Escape closes it and gives the focus back to the link that opened it.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.getAttribute('href')") == (
        f"/w/support/tickets/?open={case.number}"
    )

    # The list in Italian, checked by axe too.
    page.goto(f"{live_server.url}/w/support/tickets/")
    expect(page.locator("h1")).to_have_text("Ticket")
    expect(page.locator("table.tickets thead th")).to_have_text(
        [
            "N. ticket",
            "ID risposta",
            "Email del cliente",
            "Segmento di origine",
            "Segmento attuale",
            "Responsabile",
            "Priorità",
            "Stato",
            "Segnalato il",
            "Commento del cliente",
            "Azioni",
        ]
    )
    expect(page.locator(f"#ticket-{case.number} time")).to_have_text(_local(reported))
    assert page.evaluate(CUT_HEADERS) == []
    assert accessibility_problems(page) == []
    shot(page, "it-list")

    # The same pages in English, for comparison.
    from caredesk.workspaces.models import User

    User.objects.filter(pk=world.coach.pk).update(language="en")
    page.goto(f"{live_server.url}/w/support/tickets/inbox/")
    expect(page.locator("h1")).to_have_text("Inbox")
    shot(page, "en-inbox")
    page.locator(f"#inbox-{case.number} td.num a").click()
    expect(dialog.locator("h2")).to_contain_text(f"Ticket #{case.number}")
    shot(page, "en-dialog")
    assert errors == []


@pytest.mark.parametrize("language", ["en", "pt-br", "it", "bg"])
def test_list_headings_and_email_addresses_fit(
    world, live_server, transactional_db, browser, language
):
    from playwright.sync_api import expect

    from caredesk.workspaces.models import User

    User.objects.filter(pk=world.admin.pk).update(language=language)
    case = world.make_case(
        world.support,
        segment=world.store2,
        owner=world.manager2,
        status="escalated",
        priority="critical",
        days_ago=1,
        customer_email=LONG_EMAIL,
        customer_comment="A long comment " * 10,
    )
    # Unassigned, so the row offers "Assign to me"; 10:48 makes the longest time of day.
    world.make_case(
        world.support,
        segment=world.lisbon,
        status="escalated",
        reported_at=(timezone.now() - dt.timedelta(days=2)).replace(hour=10, minute=48),
    )
    page = logged_in_page(
        browser, world.admin, live_server.url, viewport={"width": 1280, "height": 900}
    )
    errors = page_errors(page)
    for width in (1280, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/w/support/tickets/")
        expect(page.locator("table.tickets tbody tr")).to_have_count(2)
        # Every heading shows whole (wrapping between words is fine; being cut is not).
        assert page.evaluate(CUT_HEADERS) == [], (language, width)
        assert page.evaluate(CUT_CELLS) == [], (language, width)
        # The email is one line: cut with an ellipsis, the whole address in the title.
        cell = page.locator(f"#ticket-{case.number} td.email")
        assert cell.evaluate(LINES) == 1
        expect(cell).to_have_attribute("title", LONG_EMAIL)
        shot(page, f"{language}-list-{width}")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(f"#ticket-{case.number} td.num a").click()
    email = page.locator("#ticket-dialog .facts dd.email")
    expect(email).to_have_text(LONG_EMAIL)
    # Not broken inside the address: one line, and the title carries it whole when it is cut.
    assert email.evaluate(LINES) == 1
    expect(email).to_have_attribute("title", LONG_EMAIL)
    shot(page, f"{language}-dialog")
    assert errors == []


def test_dialog_keyboard_one_comment_box_and_the_segment_picker(
    world, live_server, transactional_db, browser
):
    from playwright.sync_api import expect

    from caredesk.care.models import Case

    case = world.make_case(
        world.support,
        segment=world.store1,
        status="new",
        days_ago=1,
        customer_email="ana@example.com",
    )
    page = logged_in_page(
        browser, world.admin, live_server.url, viewport={"width": 1280, "height": 900}
    )
    errors = page_errors(page)
    page.goto(f"{live_server.url}/w/support/tickets/")
    pencil = page.locator(f"#ticket-{case.number} button.edit")
    pencil.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#ticket-dialog")
    expect(dialog.locator("h2")).to_contain_text(f"Ticket #{case.number}")
    inside = (
        "document.activeElement !== document.body"
        " && document.activeElement.closest('dialog') !== null"
    )
    assert page.evaluate(inside)
    assert page.evaluate(
        "document.getElementById('ticket-dialog').getAttribute('aria-labelledby')"
    ) == (f"ticket-title-{case.number}")

    # Tab and Shift+Tab never leave the open dialog.
    for key in ["Tab"] * 30 + ["Shift+Tab"] * 30:
        page.keyboard.press(key)
        assert page.evaluate(inside), key

    # One comment box; each tab shows its own action button and no other.
    expect(dialog.locator("textarea[name=comment]")).to_have_count(1)
    expect(dialog.get_by_text("Add note")).to_have_count(0)

    def actions():
        return dialog.locator("button[type=submit]:visible, [data-goto]:visible").all_inner_texts()

    assert actions() == ["Update ticket"]
    for tab, expected in [
        ("comments", ["Add comment"]),
        ("email", ["Send email"]),
        ("todos", ["Add to-do"]),
        ("sharing", ["Share"]),
        ("history", []),
        ("log", []),
    ]:
        dialog.locator(f".subtabs [data-tab={tab}]").click()
        expect(dialog.locator(f"[data-panel={tab}]")).to_be_visible()
        assert actions() == expected, tab
    # "Add comment" leads to the one comment box.
    dialog.locator(".subtabs [data-tab=comments]").click()
    dialog.locator("[data-goto=update]").click()
    expect(dialog.locator("[data-panel=update]")).to_be_visible()
    assert page.evaluate("document.activeElement.name") == "comment"
    # Arrow keys move along the tabs.
    dialog.locator(".subtabs [data-tab=update]").focus()
    page.keyboard.press("ArrowRight")
    expect(dialog.locator(".subtabs [data-tab=comments]")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(dialog.locator("[data-panel=comments]")).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(dialog.locator("[data-panel=update]")).to_be_visible()

    # The segment picker: the closed select shows the plain name; the open list the tree.
    segment = dialog.locator("#f-segment")
    shown = "s => s.options[s.selectedIndex].text"
    assert segment.evaluate(shown) == "Lisbon Store 1"
    segment.dispatch_event("mousedown")
    assert segment.evaluate("s => [...s.options].map(o => o.text)") == [
        "— No segment —",
        "Portugal",
        "\u00a0" * 3 + "Lisbon",
        "\u00a0" * 6 + "Lisbon Store 1",
        "\u00a0" * 6 + "Lisbon Store 2",
        "Italy",
    ]
    segment.select_option(str(world.lisbon.pk))
    assert segment.evaluate(shown) == "Lisbon"
    expect(page.locator("#f-owner")).to_have_value(str(world.manager.pk))
    filter_select = page.locator(".ticket-filters select[name=segment]")
    assert filter_select.evaluate("s => [...s.options].map(o => o.text)")[3] == "Lisbon Store 1"

    # Update with a comment; the list behind is redrawn; closing returns to the same row's pencil.
    dialog.locator("textarea[name=comment]").fill("Moved to Lisbon")
    dialog.locator("[data-panel=update] button[type=submit]").click()
    expect(dialog.locator(".msg")).to_have_text(f"Ticket #{case.number} updated.")
    assert page.evaluate(inside)
    assert Case.objects.get(pk=case.pk).segment == world.lisbon
    assert accessibility_problems(page) == []
    shot(page, "en-dialog-updated")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator(f"#ticket-{case.number} td.owner")).to_have_text("Manager")
    # The list's refresh may land after the close: wait for the focus to settle on the row.
    page.wait_for_function(
        "n => { const a = document.activeElement; return !!a && a.classList.contains('edit')"
        " && !!a.closest('tr') && a.closest('tr').id === 'ticket-' + n; }",
        arg=case.number,
    )
    assert errors == []
