"""The Tickets page in a real browser: log in, filter, create a ticket in the dialog, update it
and read the Comments and Log sub-tabs. Screenshots go to test-artifacts/."""

import re

from tests.browser import marks, page_errors, screenshots

pytestmark = marks
shot = screenshots("tickets-", full_page=True)


def test_filter_create_update_and_read_the_log(world, live_server, transactional_db, browser):
    from playwright.sync_api import expect

    from caredesk.care.models import Case

    scenario(world, live_server, browser, expect, Case)


def scenario(w, live_server, browser, expect, Case):
    w.make_case(
        w.support,
        segment=w.lisbon,
        owner=w.manager,
        status="new",
        priority="high",
        days_ago=1,
        customer_email="ana@example.com",
        customer_comment="The package arrived damaged.",
    )
    w.make_case(
        w.support,
        segment=w.store1,
        status="open",
        priority="critical",
        days_ago=2,
        customer_email="joao@example.com",
        customer_comment="Nobody answered the phone for two days",
    )
    w.make_case(
        w.support,
        segment=w.store2,
        owner=w.manager2,
        status="open",
        priority="medium",
        days_ago=3,
        customer_email="maria@example.com",
        customer_comment="<b>Refund</b> still pending",
    )
    w.make_case(
        w.support,
        segment=w.italy,
        owner=w.italy_manager,
        status="escalated",
        days_ago=4,
        customer_email="luca@example.com",
    )
    w.make_case(
        w.support,
        segment=w.lisbon,
        status="resolved",
        priority="low",
        days_ago=6,
        customer_email="sara@example.com",
    )

    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors = page_errors(page)

    # Log in through the form.
    page.goto(f"{live_server.url}/login/?next=/w/support/tickets/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "pw-12345678")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/w/support/tickets/$"))
    expect(page.locator("h1")).to_have_text("Tickets")
    expect(page.locator("table.tickets tbody tr")).to_have_count(5)
    shot(page, "1-list")

    # Filter by status.
    page.select_option(".ticket-filters select[name=status]", "open")
    page.click(".ticket-filters button[type=submit]")
    page.wait_for_url(re.compile(r"status=open"))
    rows = page.locator("table.tickets tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("table.tickets tbody .badge.s-open")).to_have_count(2)
    expect(page.locator(".stat.current")).to_contain_text("Open")
    # The customer's markup is shown as text.
    expect(page.locator("table.tickets")).to_contain_text("<b>Refund</b> still pending")
    shot(page, "2-filtered")

    # Create a ticket through the dialog; the server's errors come back into the dialog first.
    page.click("#new-ticket")
    dialog = page.locator("#ticket-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text("New ticket")
    page.fill("#new-ticket-form input[name=customer_email]", "new.customer@example.com")
    page.select_option("#new-ticket-form select[name=status]", "open")
    page.select_option("#new-ticket-form select[name=priority]", "high")
    page.select_option("#new-ticket-form select[name=segment]", str(w.lisbon.pk))
    # The owner list is reloaded for the segment; Lisbon's only manager is preselected.
    expect(page.locator("#f-owner")).to_have_value(str(w.manager.pk))
    page.fill("#new-ticket-form textarea[name=customer_comment]", "Wrong size delivered")
    page.evaluate("document.getElementById('new-ticket-form').noValidate = true")
    page.click("#new-ticket-form button[type=submit]")
    expect(dialog.locator(".field-error")).to_have_text(
        "A comment saying why the ticket is created is required."
    )
    expect(page.locator("#new-ticket-form input[name=customer_email]")).to_have_value(
        "new.customer@example.com"
    )
    shot(page, "3-create-error")
    assert Case.objects.filter(customer_email="new.customer@example.com").count() == 0

    page.fill("#new-ticket-form textarea[name=comment]", "Customer phoned the store")
    page.click("#new-ticket-form button[type=submit]")
    case = None
    expect(page.locator(".messages")).to_contain_text("created.")
    case = Case.objects.get(customer_email="new.customer@example.com")
    assert (case.status, case.priority, case.segment, case.owner) == (
        "open",
        "high",
        w.lisbon,
        w.manager,
    )
    expect(page.locator(".messages")).to_have_text(f"Ticket #{case.number} created.")
    assert "status=open" in page.url
    row = page.locator(f"#ticket-{case.number}")
    expect(row).to_contain_text("new.customer@example.com")
    expect(rows).to_have_count(3)
    shot(page, "4-created")

    # Open its update dialog with the pencil, change the status with a comment.
    row.hover()
    row.locator("button.edit").click()
    expect(dialog.locator("h2")).to_contain_text(f"Ticket #{case.number}")
    expect(dialog.locator(".facts")).to_contain_text("Wrong size delivered")
    expect(page.locator("#f-owner")).to_have_value(str(w.manager.pk))
    shot(page, "5-dialog")
    page.select_option("#update-ticket-form select[name=status]", "resolved")
    page.select_option("#update-ticket-form select[name=resolution_reason]", "resolved_contacted")
    page.fill("#update-ticket-form textarea[name=comment]", "Exchanged the item; customer happy")
    page.click("#update-ticket-form button[type=submit]")
    expect(dialog.locator(".msg")).to_have_text(f"Ticket #{case.number} updated.")
    dialog.locator(".subtabs [data-tab=comments]").click()
    comments = dialog.locator("[data-panel=comments]")
    expect(comments).to_be_visible()
    expect(comments.locator("li").first).to_contain_text("Exchanged the item; customer happy")
    expect(comments).to_contain_text("Customer phoned the store")
    shot(page, "6-comments")

    dialog.locator(".subtabs [data-tab=log]").click()
    log = dialog.locator("[data-panel=log]")
    expect(log).to_be_visible()
    expect(comments).to_be_hidden()
    first = log.locator("li").first
    expect(first).to_contain_text("Admin")
    expect(first.locator(".change")).to_have_text(
        ["Status Open → Resolved", "Resolution reason — → Resolved, customer contacted"]
    )
    shot(page, "7-log")

    # The list behind the dialog was refreshed: the ticket is no longer open.
    dialog.locator(".dialog-foot button[data-close]").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(f"#ticket-{case.number}")).to_have_count(0)
    expect(rows).to_have_count(2)
    case.refresh_from_db()
    assert case.status == "resolved"
    assert errors == []
