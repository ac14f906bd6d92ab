"""The Conversations tab, its lists and a conversation's page, as a manager sees them: every
number equals the rows of the list it opens, nothing outside the management area is shown or
counted, customer text is escaped and its evidence highlighted."""

import re

import pytest
from django.test import Client

from caredesk.analysis.models import Analysis
from caredesk.conversations import pipeline
from caredesk.feedback import services as feedback
from caredesk.journey import services as journey
from caredesk.journey.models import Direction, MediaType
from caredesk.workspaces.access import Access

W = "/w/support/conversations"


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def email(world, case, text, subject=""):
    a = journey.activity_create(
        workspace=world.support,
        media_type=MediaType.EMAIL,
        direction=Direction.INBOUND,
        case=case,
        subject=subject,
        body=text,
        actor=None,
    )
    pipeline.analyse_activities([a.pk])
    return a


@pytest.fixture
def scene(world, topics, bulgaria):
    """Emails on tickets in Lisbon (the manager's area), Italy and Bulgaria; NPS verbatims."""
    s = type("S", (), {})()
    s.lisbon = world.make_case(world.support, segment=world.lisbon)
    s.italy = world.make_case(world.support, segment=world.italy)
    s.bulgaria = world.make_case(world.support, segment=bulgaria)
    s.e1 = email(world, s.lisbon, "My invoice is wrong and I am angry. I want a refund!")
    s.e2 = email(world, s.lisbon, "Thanks, the delivery was great.")
    s.e3 = email(world, s.lisbon, "Let me speak to a manager about this invoice now.")
    s.it = email(world, s.italy, "La fattura è sbagliata, è terribile.")
    s.bg = email(world, s.bulgaria, "Доставка закъсня, ужасно обслужване <script>alert(1)</script>")
    survey = feedback.survey_create(workspace=world.support, kind="nps", name="NPS")
    s.responses = []
    for score, comment in (
        (2, "The invoice was wrong, terrible."),
        (4, "Invoice error again, awful."),
        (9, "Great delivery."),
        (10, "Quick delivery, thanks."),
        (8, "Fine."),
    ):
        r, _ = feedback.response_submit(
            survey=survey, score=score, comment=comment, segment_id=world.store1.pk
        )
        s.responses.append(r)
    pipeline.analyse_responses([r.pk for r in s.responses])
    return s


def numbers_and_links(html: str) -> list[tuple[str, int]]:
    """Every link to the list with the number it shows."""
    out = []
    for href, text in re.findall(
        r'<a[^>]+href="([^"]*conversations/list/[^"]*)"[^>]*>\s*([^<]+?)\s*<', html
    ):
        digits = text.replace(",", "").replace(".", "").strip()
        if digits.isdigit():
            out.append((href.replace("&amp;", "&"), int(digits)))
    return out


def list_total(c, href) -> int:
    r = c.get(href)
    assert r.status_code == 200, href
    m = re.search(r'<strong id="total">\s*(\d[\d,.]*)', r.content.decode())
    return int(m.group(1).replace(",", "").replace(".", ""))


@pytest.mark.parametrize("who", ["admin", "manager"])
def test_every_number_equals_the_rows_of_its_list(world, scene, who):
    c = client(getattr(world, who))
    r = c.get(f"{W}/")
    assert r.status_code == 200
    html = r.content.decode()
    links = numbers_and_links(html)
    assert len(links) > 10
    for href, n in links:
        assert list_total(c, href) == n, href
    # The drivers of detractors: invoice-type verbatims are the detractors' (lift 5/2).
    assert 'id="drivers"' in html and "×2.50" in html


def test_a_manager_sees_and_counts_only_their_area(world, scene, bulgaria):
    admin = client(world.admin).get(f"{W}/list/").content.decode()
    mine = client(world.manager).get(f"{W}/list/").content.decode()
    italy = client(world.italy_manager).get(f"{W}/list/").content.decode()
    total = lambda html: int(re.search(r'<strong id="total">\s*(\d+)', html).group(1))  # noqa: E731
    assert total(admin) == 10
    assert total(mine) == 3 + 5  # Lisbon's emails and Lisbon Store 1's verbatims
    assert total(italy) == 1
    assert "Доставка" not in italy and "Доставка" not in mine
    # Bulgaria's conversation: 404 for Italy's manager, on the page and the API.
    url = f"{W}/activity/{scene.bg.pk}/"
    assert client(world.italy_manager).get(url).status_code == 404
    assert client(bulgaria.manager).get(url).status_code == 200
    r = client(world.italy_manager).get(
        f"/api/v1/workspaces/support/activities/{scene.bg.pk}/analysis"
    )
    assert r.status_code == 404
    # Counts on the overview: Italy's manager counts one conversation.
    ov = client(world.italy_manager).get(f"{W}/").content.decode()
    assert re.search(
        r'id="card-total">\s*<span[^>]*>[^<]*</span>\s*<span class="conv-card-value">1<', ov
    )


def test_an_agent_without_view_insights_is_refused(world, scene):
    for url in (f"{W}/", f"{W}/list/", f"{W}/activity/{scene.e1.pk}/"):
        assert client(world.agent).get(url).status_code == 403


def test_bad_filters_are_refused_naming_the_parameter(world, scene):
    c = client(world.admin)
    r = c.get(f"{W}/list/?label=angry&from=yesterday")
    assert r.status_code == 400
    html = r.content.decode()
    assert "<strong>label</strong>" in html and "<strong>from</strong>" in html
    assert c.get(f"{W}/?grain=hour").status_code == 400
    assert c.get(f"{W}/list/?page=0").status_code == 400


def test_the_conversation_page_escapes_text_and_marks_evidence(world, scene, bulgaria):
    r = client(world.admin).get(f"{W}/activity/{scene.bg.pk}/")
    html = r.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    r = client(world.admin).get(f"{W}/activity/{scene.e1.pk}/")
    html = r.content.decode()
    # The topic phrase, the sentiment word and the rule that produced each, on hover.
    assert re.search(
        r'<mark class="[^"]*ev-topic[^"]*" title="[^"]*Billing[^"]*">invoice</mark>', html
    )
    assert re.search(r'<mark class="ev-neg" title="Sentiment Negative[^"]*">angry</mark>', html)
    r = client(world.admin).get(f"{W}/activity/{scene.e3.pk}/")
    assert re.search(
        r'<mark class="[^"]*ev-signal[^"]*" title="[^"]*Asks for a manager', r.content.decode()
    )
    assert client(world.admin).get(f"{W}/nothing/{scene.e1.pk}/").status_code == 404


def test_a_ticket_moved_to_another_segment_takes_its_analyses_along(world, scene, committed):
    from caredesk.care import services as care

    admin = Access.system(world.support)
    with committed():
        care.case_update(
            access=admin, case=scene.italy, segment_id=world.store2.pk, comment="moved"
        )
    assert (
        Analysis.objects.get(source_id=scene.it.pk, source="activity").segment_path
        == world.store2.path
    )
