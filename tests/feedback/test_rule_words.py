"""Alert rules in words on the rule pages: never the stored criteria dict nor action codes."""

import pytest
from django.utils import translation

from caredesk.care.models import Priority, Status
from caredesk.feedback.models import AlertRule
from caredesk.feedback.services import rule_create
from caredesk.workspaces.models import User


@pytest.fixture
def rule(world, nps):
    return rule_create(
        workspace=world.support,
        name="Refunds in Lisbon",
        survey_id=nps.pk,
        criteria={
            "scores": [{"kind": "nps", "min": 0, "max": 6}],
            "keywords": ["refund", "money back"],
            "segment": world.lisbon.pk,
        },
        actions={
            "create_case": {"priority": "high", "status": "new", "segment": world.store2.pk},
            "assign": {"to": "segment_manager"},
            "notify": {"users": [world.manager.pk, world.manager2.pk]},
            "webhook": {"url": "https://93.184.215.14/hook"},
        },
    )


SENTENCE = (
    "NPS 0–6 (detractor), the customer comment mentions “refund” or “money back” and "
    "the response is from Lisbon or a segment below it → create a ticket (priority High, "
    "status New) in segment Lisbon Store 2, assign it to the segment's manager, notify "
    "Manager and Manager2 by email, call the webhook https://93.184.215.14/hook"
)


def test_the_rule_list_says_what_each_rule_does(world, rule, as_user):
    html = as_user(world.admin).get("/w/support/feedback/rules/").content.decode()
    assert f'<td class="rule-text">{SENTENCE}</td>' in html.replace("&#x27;", "'")
    for raw in ("create_case", "segment_manager", "'scores'", "{'", "nps_category"):
        assert raw not in html


def test_the_rule_page_lists_criteria_and_actions(world, rule, as_user):
    html = as_user(world.admin).get(f"/w/support/feedback/rules/{rule.pk}/").content.decode()
    html = html.replace("&#x27;", "'")
    assert (
        '<ul id="rule-criteria"><li>NPS 0–6 (detractor)</li>'
        "<li>the customer comment mentions “refund” or “money back”</li>"
        "<li>the response is from Lisbon or a segment below it</li></ul>"
    ) in html
    assert "<li>assign it to the segment's manager</li>" in html
    assert "<li>notify Manager and Manager2 by email</li>" in html
    assert "create_case" not in html and "{'" not in html


def test_the_rule_pages_in_portuguese_and_bulgarian(world, rule, as_user):
    User.objects.filter(pk=world.admin.pk).update(language="pt-br")
    html = as_user(world.admin).get("/w/support/feedback/rules/").content.decode()
    with translation.override("pt-br"):  # the ticket's words are care's (its catalogue)
        high, new = str(Priority.HIGH.label), str(Status.NEW.label)
    assert (
        "NPS 0–6 (detrator), o comentário do cliente menciona “refund” ou “money back” e a "
        "resposta é de Lisbon ou de um segmento abaixo dele → criar um ticket (prioridade "
        f"{high}, status {new}) no segmento Lisbon Store 2, atribuí-lo ao gerente do segmento, "
        "notificar Manager e Manager2 por e-mail, chamar o webhook https://93.184.215.14/hook"
    ) in html
    User.objects.filter(pk=world.admin.pk).update(language="bg")
    html = as_user(world.admin).get(f"/w/support/feedback/rules/{rule.pk}/").content.decode()
    assert "<li>NPS 0–6 (детрактор)</li>" in html
    assert "<li>възложи я на мениджъра на сегмента</li>" in html


def test_a_rule_without_criteria_and_a_deleted_segment(world, as_user):
    rule = rule_create(
        workspace=world.support,
        name="All to queue",
        criteria={},
        actions={"create_case": {}, "assign": {"to": "queue", "queue": "Billing"}},
    )
    AlertRule.objects.filter(pk=rule.pk).update(
        criteria={"segment": 999999, "nps_category": ["passive", "promoter"]}
    )
    html = as_user(world.admin).get(f"/w/support/feedback/rules/{rule.pk}/").content.decode()
    assert "<li>NPS category passive or promoter</li>" in html
    assert (
        "<li>the response is from a segment that no longer exists or a segment below it</li>"
    ) in html
    assert "<li>assign it to the queue “Billing”</li>" in html
    assert "in the response&#x27;s segment" in html


def test_the_detractor_rule_of_a_new_survey_is_named_in_the_workspaces_language(world):
    from caredesk.feedback.services import survey_create
    from caredesk.workspaces.models import Workspace

    Workspace.objects.filter(pk=world.support.pk).update(language="bg")
    world.support.refresh_from_db()
    survey = survey_create(workspace=world.support, kind="nps", name="Посещение")
    assert AlertRule.objects.get(survey=survey).name == "Детрактори (оценка 0–6) → заявка"
