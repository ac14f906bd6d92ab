"""The Content-Security-Policy breaks no page: each page is opened in headless Chromium, as
the admin (logged in through the login page) and as a customer, and the browser reports no
violation (the `securitypolicyviolation` event, and Chromium's "Refused to …" console
errors) and no script error; the styled pages are saved under test-artifacts/csp/ for a
person to look at."""

from caredesk.feedback.services import response_submit, survey_create
from tests.browser import marks, page_errors, screenshots

pytestmark = marks
shot = screenshots("csp/", full_page=True)

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ""}`.trim());
});
"""


def watched(page):
    page.add_init_script(WATCH)
    refused = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return refused


def violations(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__csp")


def test_pages_render_under_the_policy(world, asgi_server, browser):
    case = world.make_case(world.support, customer_comment="Broken <b>zip</b>")
    nps = survey_create(workspace=world.support, kind="nps", name="Store visit")
    response, _ = response_submit(survey=nps, score=2, comment="Line one\nline two")
    base = asgi_server.url

    page = browser.new_page(viewport={"width": 1360, "height": 900})
    refused, errors = watched(page), page_errors(page)
    page.goto(f"{base}/login/")
    assert violations(page) == []
    shot(page, "login")
    # The watch works: what an injection would add is refused, and reported.
    page.evaluate(
        """document.head.insertAdjacentHTML("beforeend", "<style>body { color: red }</style>");
        document.body.insertAdjacentHTML("beforeend", "<img src=x onerror='window.owned=1'>")"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__csp") == [
        "style-src-elem inline",
        "script-src-attr inline",
    ]
    assert page.evaluate("window.owned") is None
    assert len(refused) == 2
    refused.clear()
    page.evaluate("window.__csp = []")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "pw-12345678")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/**")

    pages = [
        ("home", "/w/support/"),
        ("tickets", "/w/support/tickets/"),
        ("ticket", f"/w/support/tickets/?open={case.number}"),
        ("desk", "/w/support/desk/"),
        ("supervisor", "/w/support/desk/supervisor/"),
        ("settings", "/w/support/settings/"),
        ("members", "/w/support/settings/members/"),
        ("segments", "/w/support/settings/segments/"),
        ("permissions", "/w/support/settings/permissions/"),
        ("queues", "/w/support/settings/queues/"),
        ("surveys", "/w/support/feedback/surveys/"),
        ("rule-form", "/w/support/feedback/rules/new/"),
        ("response", f"/w/support/feedback/responses/{response.pk}/"),
    ]
    for name, path in pages:
        page.goto(base + path)
        assert violations(page) == [], name
        shot(page, name)
    # What the policy would have blocked, now done from app.js: the segment tree's indent,
    # the supervisor's load bars, the verbatim's line breaks, htmx's indicator rules.
    page.goto(f"{base}/w/support/settings/segments/")
    indent = page.locator(f"#segment-{world.lisbon.pk}").evaluate(
        "el => getComputedStyle(el).paddingLeft"
    )
    assert indent == "22px"
    page.goto(f"{base}/w/support/feedback/responses/{response.pk}/")
    assert page.locator("#verbatim").evaluate("el => getComputedStyle(el).whiteSpace") == (
        "pre-wrap"
    )
    # The styles of app.css apply (the page is not unstyled).
    assert page.locator("header.topbar").evaluate("el => getComputedStyle(el).display") in (
        "flex",
        "grid",
    )

    # The customer's pages.
    public = browser.new_page(viewport={"width": 420, "height": 860})
    refused += watched(public)
    page_errors(public, errors)
    public.goto(f"{base}/s/{nps.token}/")
    assert violations(public) == []
    assert public.locator("main").evaluate("el => getComputedStyle(el).maxWidth") != "none"
    shot(public, "survey")
    public.goto(f"{base}/chat/acme.support/")
    public.get_by_role("button", name="Start chat").wait_for()
    assert violations(public) == []
    shot(public, "chat-page")

    assert refused == []
    assert errors == []
