"""The evaluate page with criteria prefilled from the analysis, in headless Chromium, wide
and at phone width: screenshots in test-artifacts/quality/ for a person to look at; the
prefilled answer can be changed; nothing overflows sideways."""

from caredesk.quality.scorecards import scorecard_create
from caredesk.workspaces.access import Access
from tests.browser import logged_in_page, marks, screenshots

from .test_demoalerts_prefill import SECTIONS, _analyse, _angry_chat

pytestmark = marks
shot = screenshots("quality/demoalerts_prefill_", full_page=True)


def test_evaluate_page_with_prefill(q, live_server, browser):
    card = scorecard_create(
        access=Access.system(q.ws),
        name="Analysed chats",
        sections=SECTIONS,
        pass_mark=50,
        media_types=["chat"],
    )
    ended = card.current_version.sections[0]["criteria"][0]["id"]
    chat = _angry_chat(q)
    _analyse(chat)
    url = f"{live_server.url}/w/support/coaching/evaluate/?activity={chat.pk}&scorecard={card.pk}"
    for width, height, name in ((1280, 800, "wide"), (390, 844, "phone")):
        page = logged_in_page(
            browser, q.coach, live_server.url, viewport={"width": width, "height": height}
        )
        page.goto(url)
        page.wait_for_selector(f"#prefill-{ended}")
        assert page.is_checked(f"input[name=a{ended}][value='0']")
        page.locator("#evaluate-form").scroll_into_view_if_needed()
        shot(page, name)
        # The form fits (the coaching sub-navigation's links are another part's).
        wide = page.evaluate(
            """[...document.querySelectorAll('#evaluate-form *')].filter(e =>
               e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
               .map(e => e.tagName + '.' + e.className)"""
        )
        assert wide == []
        # The evaluator disagrees with the analysis.
        page.check(f"input[name=a{ended}][value='1']")
        assert page.is_checked(f"input[name=a{ended}][value='1']")
        page.context.close()
