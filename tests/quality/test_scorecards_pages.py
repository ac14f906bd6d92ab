"""Settings → Scorecards through HTTP: the list, the builder (create, edit in place while
unused, a new version once used, the add/move/remove buttons that save nothing), errors named
beside their field with nothing changed, the preview that scores without writing, versions and
history, on/off, rescoring with its progress, and who may open what."""

from caredesk.audit.models import AuditEntry
from caredesk.quality.models import (
    Answer,
    Evaluation,
    EvaluationChange,
    RescoreJob,
    Scorecard,
    ScorecardVersion,
)
from caredesk.quality.selectors import scorecards_for
from caredesk.quality.services import evaluation_create
from caredesk.workspaces.access import get_access

from .conftest import all_good

LIST = "/w/support/settings/quality/scorecards/"


def _state():
    return (
        list(Scorecard.objects.values_list("id", "name", "active", "current_version_id")),
        list(ScorecardVersion.objects.values_list("id", "number", "pass_mark", "sections")),
        AuditEntry.objects.filter(object_type="scorecard").count(),
    )


def _form(**over) -> dict:
    """A builder POST: one section with a yes/no and a custom-scale criterion."""
    data = {
        "name": "Email quality",
        "pass_mark": "75",
        "media_types": ["email"],
        "sections": "1",
        "s0_title": "Writing",
        "s0_n": "2",
        "c0_0_id": "",
        "c0_0_question": "Clear answer",
        "c0_0_weight": "2",
        "c0_0_scale": "yes_no",
        "c0_0_auto_fail": "1",
        "c0_0_recommendation": "Read the writing guide.",
        "c0_1_id": "",
        "c0_1_question": "Tone",
        "c0_1_weight": "1,5",
        "c0_1_scale": "custom",
        "c0_1_np": "3",
        "c0_1_p0_value": "0",
        "c0_1_p0_label": "Cold",
        "c0_1_p0_score": "0",
        "c0_1_p1_value": "1",
        "c0_1_p1_label": "Warm",
        "c0_1_p1_score": "100",
        "c0_1_na_allowed": "1",
    }
    data.update(over)
    return data


def _edit_form(card, **over) -> dict:
    """The builder POST of q.card's current version as the page renders it."""
    data = {"name": card.name, "pass_mark": str(card.current_version.pass_mark)}
    data["media_types"] = list(card.current_version.media_types)
    sections = card.current_version.sections
    data["sections"] = str(len(sections))
    for i, s in enumerate(sections):
        data[f"s{i}_title"] = s["title"]
        data[f"s{i}_n"] = str(len(s["criteria"]))
        for j, c in enumerate(s["criteria"]):
            p = f"c{i}_{j}_"
            data.update(
                {
                    f"{p}id": str(c["id"]),
                    f"{p}question": c["question"],
                    f"{p}weight": str(c["weight"]),
                    f"{p}scale": c["scale"],
                    f"{p}recommendation": c.get("recommendation", ""),
                    f"{p}np": str(len(c.get("points") or [])),
                }
            )
            for flag in ("na_allowed", "auto_fail", "bonus"):
                if c.get(flag):
                    data[f"{p}{flag}"] = "1"
            for k, pt in enumerate(c.get("points") or []):
                data.update(
                    {
                        f"{p}p{k}_value": str(pt["value"]),
                        f"{p}p{k}_label": pt["label"],
                        f"{p}p{k}_score": str(pt["score"]),
                    }
                )
    data.update(over)
    return data


def test_list_shows_each_scorecard(q, as_user):
    evaluation_create(
        access=get_access(q.coach, "support"),
        scorecard_id=q.card.pk,
        activity_id=q.chat.pk,
        answers=all_good(q),
    )
    r = as_user(q.manager).get(LIST)
    assert r.status_code == 200
    row = r.content.decode().split(f'id="scorecard-{q.card.pk}"')[1].split("</tr>")[0]
    assert "Chat quality" in row and ">on<" in row and ">1<" in row and ">80<" in row
    assert "Chat · any queue" in row


def test_create_through_the_builder(q, as_user):
    c = as_user(q.admin)
    r = c.post(f"{LIST}new/", _form())
    assert r.status_code == 302
    card = Scorecard.objects.get(name="Email quality")
    assert r["Location"] == f"{LIST}{card.pk}/"
    v = card.current_version
    assert (v.number, v.pass_mark, v.media_types) == (1, 75, ["email"])
    crit = v.sections[0]["criteria"]
    assert [
        (c["question"], c["weight"], c["scale"], c["auto_fail"], c["na_allowed"]) for c in crit
    ] == [
        ("Clear answer", 2, "yes_no", True, False),
        ("Tone", 1.5, "custom", False, True),
    ]
    assert crit[0]["recommendation"] == "Read the writing guide."
    assert crit[1]["points"] == [
        {"value": 0, "label": "Cold", "score": 0},
        {"value": 1, "label": "Warm", "score": 100},
    ]
    page = c.get(r["Location"]).content.decode()
    assert 'value="Clear answer"' in page and "Scorecard created." in page


def test_bad_input_is_named_beside_its_field_and_nothing_changes(q, as_user):
    c = as_user(q.admin)
    before = _state()
    r = c.post(
        f"{LIST}new/",
        _form(name="", pass_mark="120", c0_1_weight="heavy", c0_1_p1_score="150"),
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert 'id="err-name">Required.<' in page
    assert 'id="err-pass_mark">A whole number from 0 to 100.<' in page
    assert 'id="err-c0_1_weight">A number above 0, at most 1000.<' in page
    assert "A number from 0 to 100." in page  # the point's score
    # What was typed is kept.
    assert 'value="heavy"' in page and 'value="Clear answer"' in page
    assert _state() == before
    # Editing: the same on the edit page.
    r = c.post(f"{LIST}{q.card.pk}/", _edit_form(q.card, c1_0_question=""))
    assert r.status_code == 400
    assert 'id="err-c1_0_question">Required.<' in r.content.decode()
    assert _state() == before


def test_builder_buttons_change_the_form_not_the_scorecard(q, as_user):
    c = as_user(q.admin)
    before = _state()
    r = c.post(f"{LIST}{q.card.pk}/", _edit_form(q.card, op="add_criterion:0"))
    assert r.status_code == 200
    page = r.content.decode()
    assert 'name="s0_n" value="3"' in page and 'name="c0_2_question" value=""' in page
    r = c.post(f"{LIST}{q.card.pk}/", _edit_form(q.card, op="down_section:0"))
    page = r.content.decode()
    assert 'name="s0_title" value="Compliance"' in page
    assert 'name="s1_title" value="Greeting"' in page
    r = c.post(f"{LIST}{q.card.pk}/", _edit_form(q.card, op="remove_criterion:1:2"))
    assert 'name="s1_n" value="2"' in r.content.decode()
    r = c.post(f"{LIST}{q.card.pk}/", _edit_form(q.card, op="add_section"))
    assert 'name="sections" value="3"' in r.content.decode()
    assert _state() == before


def test_edit_in_place_while_unused_then_version_2(q, as_user):
    c = as_user(q.admin)
    r = c.post(f"{LIST}{q.card.pk}/", _edit_form(q.card, pass_mark="70"))
    assert r.status_code == 302
    q.card.refresh_from_db()
    assert (q.card.current_version.number, q.card.current_version.pass_mark) == (1, 70)
    e = evaluation_create(
        access=get_access(q.coach, "support"),
        scorecard_id=q.card.pk,
        activity_id=q.chat.pk,
        answers=all_good(q),
    ).evaluation
    # Reordered criteria and a new weight: version 2, ids kept.
    r = c.post(
        f"{LIST}{q.card.pk}/",
        _edit_form(q.card, c0_0_weight="4", op=""),
    )
    assert r.status_code == 302
    q.card.refresh_from_db()
    v2 = q.card.current_version
    assert v2.number == 2
    assert [c["id"] for s in v2.sections for c in s["criteria"]] == q.criteria
    assert v2.sections[0]["criteria"][0]["weight"] == 4
    e.refresh_from_db()
    assert e.version.number == 1
    page = c.get(r["Location"]).content.decode()
    assert "Saved as version 2. Past evaluations keep version 1" in page
    assert "Rescore 1 evaluation" in page
    # The versions page and the old version.
    page = c.get(f"{LIST}{q.card.pk}/versions/").content.decode()
    assert 'id="version-2"' in page and 'id="version-1"' in page
    assert "Admin" in page  # who changed it
    page = c.get(f"{LIST}{q.card.pk}/versions/1/").content.decode()
    assert "weight 1" in page and "disabled" in page
    assert c.get(f"{LIST}{q.card.pk}/versions/9/").status_code == 404


def test_switch_off_and_on(q, as_user):
    c = as_user(q.manager)
    coach = get_access(q.coach, "support")
    r = c.post(f"{LIST}{q.card.pk}/switch/", {"active": "0"})
    assert r.status_code == 302
    assert Scorecard.objects.get(pk=q.card.pk).active is False
    assert scorecards_for(coach, q.chat) == []
    c.post(f"{LIST}{q.card.pk}/switch/", {"active": "1"})
    assert scorecards_for(coach, q.chat) == [q.card]
    assert list(
        AuditEntry.objects.filter(object_type="scorecard", field="active").values_list(
            "old_value", "new_value", "actor"
        )
    ) == [("True", "False", q.manager.pk), ("False", "True", q.manager.pk)]


def test_preview_scores_without_writing(q, as_user):
    c = as_user(q.coach)
    greet, tone, identity, resolution, _bonus = q.criteria
    url = f"{LIST}{q.card.pk}/preview/"
    assert f'name="a{greet}"' in c.get(url).content.decode()
    r = c.post(
        url, {f"a{greet}": "1", f"a{tone}": "na", f"a{identity}": "1", f"a{resolution}": "1"}
    )
    assert r.status_code == 200
    # 100 × (1 + 3 + 4 × 0.5) / 8 = 75
    result = r.content.decode().split('id="preview-result"')[1].split("</div>")[0]
    assert ">75.0<" in result and "Failed" in result
    r = c.post(url, {f"a{greet}": "1", f"a{identity}": "1", f"a{resolution}": "1"})
    assert r.status_code == 400
    assert "An answer is required." in r.content.decode()
    assert Evaluation.objects.count() == 0 and Answer.objects.count() == 0


def test_rescore_from_the_page(q, as_user, django_capture_on_commit_callbacks):
    coach = get_access(q.coach, "support")
    e = evaluation_create(
        access=coach, scorecard_id=q.card.pk, activity_id=q.chat.pk, answers=all_good(q)
    ).evaluation
    c = as_user(q.admin)
    # tone (weight 2, answered 5) doubles nothing; pass mark 100 makes 100 still pass.
    c.post(f"{LIST}{q.card.pk}/", _edit_form(q.card, c0_0_weight="3"))
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(f"{LIST}{q.card.pk}/rescore/")
    assert r.status_code == 302
    job = RescoreJob.objects.get()
    assert (job.status, job.done, job.total, job.to_version.number) == ("done", 1, 1, 2)
    e.refresh_from_db()
    assert (e.version.number, e.score) == (2, 100.0)
    assert not EvaluationChange.objects.filter(action="rescored").exists()  # same score
    frag = c.get(f"{LIST}{q.card.pk}/rescores/{job.pk}/").content.decode()
    assert "1 of 1 evaluations" in frag and "hx-trigger" not in frag
    page = c.get(f"{LIST}{q.card.pk}/").content.decode()
    assert "Every evaluation is on the current version." in page
    # Nothing left: refused in words, nothing queued.
    r = c.post(f"{LIST}{q.card.pk}/rescore/", follow=True)
    assert "No evaluation of this scorecard is on an older version." in r.content.decode()
    assert RescoreJob.objects.count() == 1


def test_queued_job_polls(q, as_user):
    evaluation_create(
        access=get_access(q.coach, "support"),
        scorecard_id=q.card.pk,
        activity_id=q.chat.pk,
        answers=all_good(q),
    )
    c = as_user(q.admin)
    c.post(f"{LIST}{q.card.pk}/", _edit_form(q.card, pass_mark="90"))
    c.post(f"{LIST}{q.card.pk}/rescore/")  # no commit here: stays queued
    job = RescoreJob.objects.get()
    frag = c.get(f"{LIST}{q.card.pk}/rescores/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in frag and "Queued" in frag


def test_refusals_and_other_workspaces(q, as_user):
    before = _state()
    agent = as_user(q.agent)
    assert agent.get(LIST).status_code == 403
    assert agent.post(f"{LIST}new/", _form()).status_code == 403
    assert agent.post(f"{LIST}{q.card.pk}/switch/", {"active": "0"}).status_code == 403
    assert agent.get(f"{LIST}{q.card.pk}/preview/").status_code == 403
    assert agent.post(f"{LIST}{q.card.pk}/rescore/").status_code == 403
    assert _state() == before
    # A scorecard of another workspace answers 404 here; another organization's user 404.
    admin = as_user(q.admin)
    admin.post("/w/sales/settings/quality/scorecards/new/", _form(name="Sales card"))
    sales = Scorecard.objects.get(name="Sales card")
    assert admin.get(f"{LIST}{sales.pk}/").status_code == 404
    assert admin.post(f"{LIST}{sales.pk}/switch/", {"active": "0"}).status_code == 404
    assert as_user(q.world.outsider).get(f"{LIST}{q.card.pk}/").status_code == 404


def test_settings_shows_a_manager_only_what_they_may_open(q, as_user):
    """The manager holds manage_scorecards but not manage_care."""
    c = as_user(q.manager)
    home = c.get("/w/support/").content.decode()
    assert f'href="{LIST}"' in home
    assert 'href="/w/support/settings/"' not in home
    page = c.get(LIST).content.decode()
    nav = page.split('class="side-nav"')[1].split("</nav>")[0]
    assert "Scorecards" in nav
    for other in ("General", "Members", "Permissions", "Surveys", "Queues"):
        assert other not in nav
    assert c.get("/w/support/settings/").status_code == 403
    assert c.get("/w/support/settings/members/").status_code == 403
    # An admin sees every section, Scorecards among them.
    nav = as_user(q.admin).get("/w/support/settings/").content.decode()
    nav = nav.split('class="side-nav"')[1].split("</nav>")[0]
    assert "General" in nav and "Scorecards" in nav and "Queues" in nav
    # An agent has no Settings link at all.
    assert "/settings/" not in as_user(q.agent).get("/w/support/").content.decode()


def test_saving_an_unchanged_used_scorecard_makes_no_version(q, as_user):
    evaluation_create(
        access=get_access(q.coach, "support"),
        scorecard_id=q.card.pk,
        activity_id=q.chat.pk,
        answers=all_good(q),
    )
    c = as_user(q.admin)
    before = _state()
    r = c.post(f"{LIST}{q.card.pk}/", _edit_form(q.card))
    assert r.status_code == 302
    assert _state() == before
    # A new name alone is no new version either.
    c.post(f"{LIST}{q.card.pk}/", _edit_form(q.card, name="Chat review"))
    q.card.refresh_from_db()
    assert (q.card.name, q.card.current_version.number) == ("Chat review", 1)
