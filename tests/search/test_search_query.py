"""Words, phrases, prefixes, accents, filters, the highlighting, and refused input."""

import datetime as dt

import pytest
from django.utils import timezone

from caredesk.care.models import CaseComment
from caredesk.core.errors import FieldErrors
from caredesk.search.highlight import snippet
from caredesk.search.query import parse_query
from caredesk.search.selectors import parse_search
from caredesk.workspaces.access import get_access

from .conftest import activity, search_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts(world):
    ws = world.support
    t = {
        "blender": activity(ws, "email", "The blender stopped working after a week"),
        "working": activity(ws, "email", "Working fine, but the lid of the blender cracked"),
        "refund": activity(ws, "email", "I want a refund for the broken screen"),
        "refunded": activity(ws, "email", "You refunded only half"),
        "pt": activity(ws, "chat", "Não consigo acessar minha conta, é urgente"),
        "it": activity(ws, "email", "Perché il rimborso non è ancora arrivato?"),
        "bg": activity(ws, "call", "Благодаря, но поръчката ми още не е пристигнала"),
        "html": activity(ws, "web_form", "<script>alert('x')</script> & my printer jams"),
    }
    return t


def ids(world, q, **params):
    return {h.activity_id for h in search_ids(world.admin, world.support, q, **params)}


def test_every_word_must_match(world, texts):
    assert ids(world, "blender week") == {texts["blender"].pk}
    assert ids(world, "blender") == {texts["blender"].pk, texts["working"].pk}


def test_phrase_matches_words_in_order(world, texts):
    assert ids(world, '"stopped working"') == {texts["blender"].pk}
    assert ids(world, '"working stopped"') == set()
    assert ids(world, '"broken screen" refund') == {texts["refund"].pk}


def test_last_word_matches_as_a_prefix(world, texts):
    assert ids(world, "refun") == {texts["refund"].pk, texts["refunded"].pk}
    # Not an earlier word, and not once the word is closed by a quote.
    assert ids(world, "refun screen") == set()
    assert ids(world, '"refun"') == set()


def test_accents_and_case_in_four_languages(world, texts):
    assert ids(world, "nao consigo") == {texts["pt"].pk}
    assert ids(world, "NÃO") == {texts["pt"].pk}
    assert ids(world, "urgente") == {texts["pt"].pk}
    assert ids(world, "perche rimborso") == {texts["it"].pk}
    assert ids(world, "благодаря") == {texts["bg"].pk}
    assert ids(world, "БЛАГОДАРЯ поръчк") == {texts["bg"].pk}


def test_snippet_escapes_customer_text_and_marks_matches(world, texts):
    hits = search_ids(world.admin, world.support, "printer script")
    assert len(hits) == 1
    s = hits[0].snippet
    assert s.text == "<script>alert('x')</script> & my printer jams"
    assert str(s.html) == (
        "&lt;<mark>script</mark>&gt;alert(&#x27;x&#x27;)&lt;/<mark>script</mark>&gt;"
        " &amp; my <mark>printer</mark> jams"
    )
    assert s.matches == ((1, 7), (20, 26), (33, 40))
    assert [s.text[a:b] for a, b in s.matches] == ["script", "script", "printer"]


def test_snippet_of_a_long_text_is_cut_around_the_first_match():
    body = "word " * 200 + "the Açaí juice " + "more " * 200
    s = snippet(body, parse_query("acai"))
    assert s.text.startswith("…") and s.text.endswith("…")
    assert len(s.text) <= 222
    ((start, end),) = s.matches
    assert s.text[start:end] == "Açaí"
    assert "<mark>Açaí</mark>" in str(s.html)


def test_ranking_prefers_better_matches_then_newer(world):
    ws = world.support
    old = activity(ws, "email", "kettle", occurred_at=timezone.now() - dt.timedelta(days=400))
    new = activity(ws, "email", "kettle")
    weak = activity(ws, "email", "kettle " + "filler " * 200)
    got = [h.activity_id for h in search_ids(world.admin, world.support, "kettle")]
    assert got == [new.pk, old.pk, weak.pk]


def test_no_time_window_and_date_filters(world):
    ws = world.support
    old = activity(ws, "email", "teapot", occurred_at=timezone.now() - dt.timedelta(days=900))
    new = activity(ws, "email", "teapot")
    assert ids(world, "teapot") == {old.pk, new.pk}
    today = timezone.localdate()
    assert ids(world, "teapot", **{"from": today.isoformat()}) == {new.pk}
    assert ids(world, "teapot", to=(today - dt.timedelta(days=1)).isoformat()) == {old.pk}


def test_kind_segment_and_agent_filters(world):
    ws = world.support
    case_it = world.make_case(ws, segment=world.italy, customer_comment="mixer")
    case_pt = world.make_case(ws, segment=world.store1, customer_comment="mixer")
    CaseComment.objects.create(case=case_pt, body="mixer again")
    handled = activity(ws, "email", "mixer", agent=world.agent)
    hits = search_ids(world.admin, ws, "mixer", kind="case")
    assert {h.case_id for h in hits} == {case_it.pk, case_pt.pk}
    hits = search_ids(
        world.admin, ws, "mixer", kind="case,case_comment", segment=str(world.lisbon.pk)
    )
    assert sorted(h.kind for h in hits) == ["case", "case_comment"]
    assert {h.case_id for h in hits} == {case_pt.pk}
    hits = search_ids(world.admin, ws, "mixer", agent=str(world.agent.pk))
    assert [h.activity_id for h in hits] == [handled.pk]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": "!!! ???"}, "q"),
        ({"q": " ".join(f"w{i}" for i in range(17))}, "q"),
        ({"q": "a", "kind": "tweet"}, "kind"),
        ({"q": "a", "from": "yesterday"}, "from"),
        ({"q": "a", "from": "2026-02-02", "to": "2026-02-01"}, "to"),
        ({"q": "a", "segment": "x"}, "segment"),
        ({"q": "a", "segment": "999999"}, "segment"),
        ({"q": "a", "agent": "²"}, "agent"),
        ({"q": "a", "agent": "999999"}, "agent"),
        ({"q": "a", "page": "0"}, "page"),
        ({"q": "a", "page": "501"}, "page"),
    ],
)
def test_bad_input_names_the_field(world, params, field):
    access = get_access(world.admin, "support", require="use_care")
    with pytest.raises(FieldErrors) as e:
        parse_search(params, access)
    assert list(e.value.errors) == [field]


def test_a_segment_of_another_organization_is_refused(world):
    from caredesk.workspaces import services as ws

    foreign = ws.segment_create(organization=world.other_org, name="Elsewhere")
    access = get_access(world.admin, "support", require="use_care")
    with pytest.raises(FieldErrors) as e:
        parse_search({"q": "a", "segment": str(foreign.pk)}, access)
    assert e.value.errors == {"segment": "No such segment."}


def test_query_syntax_characters_are_only_separators(world, texts):
    # Characters of either database's query language never reach it.
    for q in ["printer & | ! ( ) : * <-> '", 'printer "', "printer:* ((", "printer\x00"]:
        assert ids(world, q) == {texts["html"].pk}, q
