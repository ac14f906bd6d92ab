"""A Portuguese customer fills the NPS survey page on a phone: the page, its question and
buttons are in Portuguese, the 0–10 scale stays on one row (even at 360 px), it works by
keyboard, and axe-core finds no serious or critical problem. Screenshots in pt and en go to
test-artifacts/feedback/."""

from caredesk.care.models import Case
from caredesk.feedback.models import Response
from caredesk.feedback.services import survey_create
from tests.browser import accessibility_problems, marks, screenshots

pytestmark = marks
shot = screenshots("feedback/", full_page=True)


def score_tops(page) -> list[float]:
    return [
        page.locator(f"label:has(input[name=score][value='{n}'])").bounding_box()["y"]
        for n in range(11)
    ]


def test_portuguese_customer_on_a_phone(world, browser, live_server):
    nps = survey_create(
        workspace=world.support,
        kind="nps",
        name="Store visit",
        questions=[
            {
                "key": "visit",
                "kind": "single",
                "label": "Why did you come?",
                "options": [
                    {"value": "buy", "label": "To buy"},
                    {"value": "return", "label": "To return something"},
                ],
            }
        ],
        translations={
            "pt": {
                "title": "Visita à loja",
                "labels": {
                    "visit": "Por que você veio?",
                    "visit.buy": "Para comprar",
                    "visit.return": "Para devolver algo",
                },
            }
        },
    )
    phone = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        locale="pt-BR",
        extra_http_headers={"Accept-Language": "pt-BR,pt;q=0.9"},
    )
    page = phone.new_page()
    page.goto(f"{live_server.url}/s/{nps.token}/")
    assert page.locator("html").get_attribute("lang") == "pt-br"
    assert page.locator("h1").inner_text() == "Visita à loja"
    assert (
        page.locator("fieldset legend").first.inner_text()
        == "Qual a probabilidade de você nos recomendar a um amigo ou colega?"
    )
    assert page.locator(".ends span").all_inner_texts() == [
        "Nada provável",
        "Extremamente provável",
    ]
    assert page.locator("#question-visit legend").inner_text() == "Por que você veio?"
    assert page.locator("#question-visit label").all_inner_texts() == [
        "Para comprar",
        "Para devolver algo",
    ]
    assert page.locator("label[for=comment]").inner_text() == "Conte-nos o motivo (opcional)"
    assert (
        page.locator("label[for=customer_email]").inner_text()
        == "Seu e-mail, se quiser que entremos em contato (opcional)"
    )
    assert page.locator("main button[type=submit]").inner_text() == "Enviar"
    tops = score_tops(page)
    assert len(set(tops)) == 1, tops  # 0 to 10 on one row
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert accessibility_problems(page) == []
    shot(page, "nps_phone_pt")

    # By keyboard: into the scale, arrows move along it (a radio group), then the comment.
    page.locator("input[name=score][value='0']").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert page.locator("input[name=score]:checked").get_attribute("value") == "3"
    page.locator("#question-visit label", has_text="Para devolver algo").click()
    page.fill("#comment", "Fila enorme e lenta")
    page.fill("#customer_email", "ana@example.pt")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:text-is('Obrigado!')")
    assert page.locator("p.intro").inner_text() == "Sua resposta foi recebida."
    shot(page, "thanks_phone_pt")
    response = Response.objects.get()
    assert (response.score, response.comment, response.language) == (
        3,
        "Fila enorme e lenta",
        "pt-br",
    )
    assert response.answers == {"visit": "return"}
    assert Case.objects.get().customer_comment == "Fila enorme e lenta"


def test_the_scale_stays_on_one_row_at_360_px_in_english(world, nps, browser, live_server):
    phone = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    page = phone.new_page()
    page.goto(f"{live_server.url}/s/{nps.token}/?lang=en")
    assert page.locator("main button[type=submit]").inner_text() == "Send"
    tops = score_tops(page)
    assert len(set(tops)) == 1, tops
    # Every button is still there to tap: at least 24 px wide and as tall as a finger.
    for n in range(11):
        box = page.locator(f"label:has(input[name=score][value='{n}']) span").bounding_box()
        assert box["width"] >= 24 and box["height"] >= 40, (n, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert accessibility_problems(page) == []
    shot(page, "nps_phone_360_en")
    page.goto(f"{live_server.url}/s/{nps.token}/?lang=pt")
    assert len(set(score_tops(page))) == 1
    shot(page, "nps_phone_360_pt")


def test_settings_surveys_and_rules_on_a_desktop_in_italian(world, nps, browser, live_server):
    from caredesk.workspaces.models import User
    from tests.browser import logged_in_page

    User.objects.filter(pk=world.admin.pk).update(language="it")
    page = logged_in_page(
        browser, world.admin, live_server.url, viewport={"width": 1360, "height": 900}
    )
    page.goto(f"{live_server.url}/w/support/settings/surveys/")
    assert page.locator("h1").inner_text().startswith("Sondaggi")
    assert accessibility_problems(page) == []
    shot(page, "settings_surveys_it")
    page.click(f"#survey-{nps.pk} a")
    page.fill("input[name=name]", "")
    page.click("main button[type=submit]")
    assert page.locator("#err-name").inner_text() == "Un sondaggio richiede un nome."
    assert accessibility_problems(page) == []
    shot(page, "settings_survey_form_errors_it")
    page.goto(f"{live_server.url}/w/support/feedback/rules/")
    assert page.locator(".rule-text").first.inner_text().startswith("NPS 0–6 (detrattore) → ")
    shot(page, "rules_it")
    page.goto(f"{live_server.url}/w/support/feedback/rules/")
    page.click("#rules a")
    shot(page, "rule_it")
