"""Helpers of the Home tests: follow a figure's link and count the rows of the page it opens."""

import re

import pytest

from caredesk.journey.models import Activity, MediaType

FIGURE = re.compile(r'<a class="[^"]*" data-home="([\w-]+)" href="([^"]+)"[^>]*>')


def figures(html: str) -> dict[str, str]:
    """data-home → href of every linked figure on the page."""
    return {name: href.replace("&amp;", "&") for name, href in FIGURE.findall(html)}


def figure_value(html: str, name: str) -> str:
    m = re.search(
        rf'data-home="{name}" href="[^"]*"[^>]*>(?:<span class="n">([^<]*)</span>|\s*'
        rf'<span class="kpi-label">[^<]*</span>\s*<span class="kpi-value">([^<]*)</span>)',
        html,
    )
    assert m, name
    return m.group(1) if m.group(1) is not None else m.group(2)


def rows_on(client, url: str) -> int:
    """The rows a list page shows: Home's lists (data-row, all pages) or the ticket list."""
    r = client.get(url)
    assert r.status_code == 200, url
    html = r.content.decode()
    if "data-number=" in html:
        return len(re.findall(r'<tr id="ticket-\d+" data-number=', html))
    n = len(re.findall(r"<tr data-row", html))
    if 'rel="next"' in html:
        nxt = re.search(r'rel="next" href="([^"]+)"', html).group(1)
        n += rows_on(client, url.split("?")[0] + nxt)
    return n


@pytest.fixture
def chat():
    def make(world, agent, *, when=None, queue="Support"):
        from django.utils import timezone

        return Activity.objects.create(
            workspace=world.support,
            media_type=MediaType.CHAT,
            agent=agent,
            queue_name=queue,
            occurred_at=when or timezone.now(),
        )

    return make
