"""Closing the loop in a real browser: a customer answers the NPS page with a 3 and a comment,
the detractor rule opens a ticket, the manager finds it, reads the response in the ticket,
opens the response page, writes to the customer, resolves it with a reason, and sees it
counted in the inbox. Screenshots go to test-artifacts/loop-*.png."""

import re

from django.test import override_settings

from tests.browser import marks, page_errors, screenshots

pytestmark = marks
shot = screenshots("loop-", full_page=True)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_customer_answers_manager_closes_the_loop(world, live_server, transactional_db, browser):
    from playwright.sync_api import expect

    scenario(world, live_server, browser, expect)


def scenario(w, live_server, browser, expect):
    from caredesk.care.models import Case
    from caredesk.feedback.models import Response
    from caredesk.feedback.services import survey_create
    from caredesk.journey.models import Activity

    survey = survey_create(workspace=w.support, kind="nps", name="Store visit")
    # An earlier ticket of the same customer, for the history.
    earlier = w.make_case(
        w.support,
        segment=w.lisbon,
        status="closed",
        days_ago=20,
        customer_email="ana@example.com",
        customer_comment="Late delivery",
    )
    errors = []

    # The customer, on a phone-sized page.
    customer = browser.new_page(viewport={"width": 420, "height": 860})
    page_errors(customer, errors)
    customer.goto(f"{live_server.url}/s/{survey.token}/")
    customer.locator(".scores label").filter(has_text=re.compile(r"^3$")).click()
    customer.fill("textarea[name=comment]", "The staff ignored me <b>twice</b>.")
    customer.fill("input[name=customer_email]", "ana@example.com")
    customer.click("button[type=submit]")
    expect(customer.locator("body")).to_contain_text("Thank")
    shot(customer, "1-customer-thanks")
    response = Response.objects.get()
    case = Case.objects.get(rule_sources__response=response)
    # The public page asks for no store: the ticket takes the customer's segment (that of their
    # earlier ticket, Lisbon) and its only manager (issue 12).
    assert (case.origin, case.customer_email, case.segment, case.owner) == (
        "survey_response",
        "ana@example.com",
        w.lisbon,
        w.manager,
    )
    # Put the response in Lisbon too, as a store's survey link would (the manager's area).
    Response.objects.filter(pk=response.pk).update(segment=w.lisbon, segment_path=w.lisbon.path)

    # The manager logs in and finds the ticket in the list.
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page_errors(page, errors)
    page.goto(f"{live_server.url}/login/?next=/w/support/tickets/")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", "pw-12345678")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/w/support/tickets/$"))
    row = page.locator(f"#ticket-{case.number}")
    expect(row).to_contain_text("ana@example.com")
    expect(row).to_contain_text("The staff ignored me <b>twice</b>.")

    # Open it: the Survey response tab shows the score, verbatim (as text) and the response link.
    row.locator("td.num a").click()
    dialog = page.locator("#ticket-dialog")
    expect(dialog.locator("h2")).to_contain_text(f"Ticket #{case.number}")
    dialog.locator(".subtabs [data-tab=response]").click()
    panel = dialog.locator("[data-panel=response]")
    expect(panel).to_be_visible()
    expect(panel.locator(".score-pill")).to_have_text("3")
    expect(panel.locator(".verbatim")).to_have_text("The staff ignored me <b>twice</b>.")
    expect(dialog.locator(".facts a.response-link")).to_have_text(str(response.pk))
    shot(page, "2-ticket-response")

    # The customer's history: the earlier ticket and the survey response's journey.
    dialog.locator(".subtabs [data-tab=history]").click()
    history = dialog.locator("[data-panel=history]")
    expect(history).to_be_visible()
    expect(history.locator(".history-cases")).to_contain_text(f"#{earlier.number}")
    shot(page, "3-ticket-history")

    # Open the response page from the ticket (a new tab).
    with page.context.expect_page() as new_tab:
        dialog.locator("[data-panel=history]")  # stay in the dialog
        dialog.locator(".subtabs [data-tab=response]").click()
        dialog.locator("#open-response").click()
    response_page = new_tab.value
    response_page.wait_for_load_state()
    assert response_page.url.endswith(f"/w/support/feedback/responses/{response.pk}/")
    expect(response_page.locator("body")).to_contain_text("The staff ignored me <b>twice</b>.")
    shot(response_page, "4-response-page")
    response_page.close()

    # Write to the customer; an empty message is refused first, in place.
    dialog.locator(".subtabs [data-tab=email]").click()
    email = dialog.locator("[data-panel=email]")
    expect(email.locator("input[name=subject]")).to_have_value("About your feedback on Store visit")
    email.locator("button[type=submit]").click()
    expect(dialog.locator("[data-panel=email] .field-error")).to_have_text(
        "The message cannot be empty."
    )
    assert Activity.objects.filter(case=case, media_type="email").count() == 0
    dialog.locator("[data-panel=email] textarea[name=body]").fill(
        "Dear Ana,\nwe are sorry. The store manager will call you today."
    )
    dialog.locator("[data-panel=email] button[type=submit]").click()
    expect(dialog.locator(".msg").first).to_have_text(
        "Email to ana@example.com queued for sending."
    )
    thread = dialog.locator("[data-panel=email] .thread .mail-outbound")
    expect(thread).to_have_count(1)
    expect(thread).to_contain_text("The store manager will call you today.")
    (sent,) = Activity.objects.filter(case=case, media_type="email", direction="outbound")
    assert sent.subject == "About your feedback on Store visit" and sent.created_by == w.manager
    shot(page, "5-email-sent")

    # A to-do, then resolve with a reason (the reason is required first).
    dialog.locator(".subtabs [data-tab=todos]").click()
    dialog.locator("[data-panel=todos] input[name=text]").fill("Check the store's rota")
    dialog.locator("[data-panel=todos] button[type=submit]").click()
    expect(dialog.locator("[data-panel=todos] .todo-list")).to_contain_text(
        "Check the store's rota"
    )
    dialog.locator(".subtabs [data-tab=update]").click()
    page.select_option("#update-ticket-form select[name=status]", "resolved")
    page.fill("#update-ticket-form textarea[name=comment]", "Called and emailed; apologised")
    dialog.locator("#update-ticket-form button[type=submit]").click()
    expect(dialog.locator("#update-ticket-form .field-error")).to_contain_text(
        "A resolution reason is required"
    )
    assert Case.objects.get(pk=case.pk).status == "new"
    page.select_option("#update-ticket-form select[name=resolution_reason]", "resolved_contacted")
    dialog.locator("#update-ticket-form button[type=submit]").click()
    expect(dialog.locator(".msg").first).to_have_text(f"Ticket #{case.number} updated.")
    expect(dialog.locator(".facts .resolution")).to_have_text("Resolved, customer contacted")
    case.refresh_from_db()
    assert (case.status, case.resolution_reason) == ("resolved", "resolved_contacted")
    shot(page, "6-resolved")

    # The inbox counts it as a closed loop for the manager and Lisbon.
    page.goto(f"{live_server.url}/w/support/tickets/inbox/?view=done")
    owners = page.locator("#summary-owners")
    expect(owners.locator("tbody tr").first).to_contain_text("Manager")
    expect(owners.locator("tbody tr").first.locator("td").nth(3)).to_have_text("1")
    expect(page.locator(f"#inbox-{case.number}")).to_contain_text("Loop closed")
    shot(page, "7-inbox")
    assert errors == []
