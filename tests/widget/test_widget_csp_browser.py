"""The widget on a site with a strict Content-Security-Policy that allows caredesk's script
and socket and no inline style but its nonce (docs/realtime.md, "The widget"): it renders,
styled, starts a chat, and the browser reports no violation."""

from tests.browser import marks, page_errors

pytestmark = marks

STRICT_SHOP = """<!doctype html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src %(server)s;
 style-src 'self' 'nonce-sh0p'; connect-src %(server)s %(socket)s">
<title>Strict shop</title></head>
<body><h1>Strict shop</h1>
<script nonce="sh0p" src="%(server)s/static/caredesk/widget.js" data-workspace="acme.support">
</script>
</body></html>
"""


def test_widget_on_a_site_with_a_strict_policy(world, asgi_server, other_site, browser):
    from playwright.sync_api import expect

    socket = asgi_server.url.replace("http://", "ws://")
    other_site.pages["/"] = STRICT_SHOP % {"server": asgi_server.url, "socket": socket}
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors = page_errors(page)
    page.add_init_script(
        """window.__csp = [];
        document.addEventListener("securitypolicyviolation",
          (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));"""
    )
    page.goto(f"{other_site.url}/")
    launcher = page.get_by_role("button", name="Open chat: Chat with us")
    expect(launcher).to_be_visible()
    # Styled: the launcher is the round floating button of the widget's stylesheet.
    assert launcher.evaluate("el => getComputedStyle(el).position") == "fixed"
    launcher.click()
    page.get_by_role("button", name="Start chat").click()
    expect(page.get_by_label("Message")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == []
    assert errors == []
