"""The calibration result on known data: answers side by side, the spread per criterion, the
pairwise percent agreement and Krippendorff's alpha computed by hand; and the edge cases
(everyone agrees everywhere, one score only)."""

import json
import math

from django.test import Client

from caredesk.quality.calibration import calibration_start
from caredesk.workspaces.access import get_access

from .conftest import all_good

W = "/w/support/coaching/calibrations"
API = "/api/v1/workspaces/support/calibrations"


def score(api_client, user, session, answers):
    r = api_client(user).post(
        f"{API}/{session.pk}/evaluations",
        json.dumps({"answers": answers}),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    return r.json()


def start(q, *invitees):
    return calibration_start(
        access=get_access(q.manager, "support"),
        activity_id=q.chat.pk,
        scorecard_id=q.card.pk,
        invitee_ids=[u.pk for u in invitees],
    )


def test_the_figures_on_known_data(q, api_client):
    w = q.world
    greet, tone, identity, resolution, bonus = q.criteria
    session = start(q, q.coach, w.manager2, w.italy_manager)
    # Shares earned, criterion by criterion (greet w1, tone w2, identity w3, resolution w4):
    #   coach     1    1    1  1     score 10/10 = 100
    #   manager2  1    0.5  1  0.5   score  7/10 = 70   (fails the pass mark of 80)
    #   italymgr  0    N/A  1  1     score  7/8  = 87.5
    score(api_client, q.coach, session, all_good(q))
    score(
        api_client,
        w.manager2,
        session,
        all_good(q, **{str(tone): {"value": 3}, str(resolution): {"value": 1}}),
    )
    out = score(
        api_client,
        w.italy_manager,
        session,
        all_good(q, **{str(greet): {"value": 0}, str(tone): {"na": True}}),
    )
    result = out["result"]
    assert [
        (e["evaluator"]["id"], e["score"], e["passed"], e["diff"]) for e in result["evaluators"]
    ] == [
        (q.coach.pk, 100.0, True, 14.17),
        (w.manager2.pk, 70.0, False, -15.83),
        (w.italy_manager.pk, 87.5, True, 1.67),
    ]
    assert result["mean_score"] == 85.83
    rows = {c["criterion"]: c for c in result["criteria"]}
    assert [a["label"] for a in rows[greet]["answers"]] == ["Yes", "Yes", "No"]
    assert [a["label"] for a in rows[tone]["answers"]] == ["5 / 5", "3 / 5", "N/A"]
    assert [a["share"] for a in rows[resolution]["answers"]] == [1.0, 0.5, 1.0]
    # Spread in points of the weight: min, max and the population standard deviation.
    spread = {cid: (r["min_points"], r["max_points"], r["sd_points"]) for cid, r in rows.items()}
    assert spread[greet][:2] == (0.0, 1.0)
    assert spread[greet][2] == round(math.sqrt(2) / 3, 2)  # points 1, 1, 0
    assert spread[tone] == (1.0, 2.0, 0.5)  # N/A left out
    assert spread[identity] == (3.0, 3.0, 0.0)
    assert spread[resolution][:2] == (2.0, 4.0)
    assert spread[resolution][2] == round(math.sqrt(8) / 3, 2)  # points 4, 2, 4
    assert spread[bonus] == (None, None, None)
    # Pairwise percent agreement: of the 3 pairs, how many gave the same answer (N/A is an
    # answer; the bonus nobody answered is left out).
    agree = {cid: (r["agreeing_pairs"], r["pairs"]) for cid, r in rows.items()}
    assert agree == {
        greet: (1, 3),
        tone: (0, 3),
        identity: (3, 3),
        resolution: (1, 3),
        bonus: (0, 0),
    }
    assert rows[greet]["agreement"] == 33.3
    assert rows[bonus]["agreement"] is None
    assert result["agreement"] == 41.7  # 5 of 12 pairs
    # Krippendorff's alpha (interval), by hand. The pairable values (n = 11):
    #   greet 1,1,0  tone 1,0.5  identity 1,1,1  resolution 1,0.5,1
    # Observed disagreement: Σ_units Σ_ordered pairs (a − b)² / (m_u − 1), over n:
    #   greet 4×1/2 = 2, tone 2×0.25/1 = 0.5, identity 0, resolution 4×0.25/2 = 0.5 → 3/11
    # Expected: Σ over all ordered pairs of the 11 values (a − b)², over n(n − 1):
    #   eight 1s, two 0.5s, one 0: 2 × (16×0.25 + 8×1 + 2×0.25) = 25 → 25/110
    # alpha = 1 − (3/11) / (25/110) = 1 − 1.2 = −0.2
    assert result["alpha_state"] == "computed"
    assert result["alpha"] == -0.2

    page = Client()
    page.force_login(q.manager)
    body = page.get(f"{W}/{session.pk}/").content.decode()
    # The starter scored nothing: the result shows only once they close the session.
    assert 'id="side-by-side"' not in body
    page.post(f"{W}/{session.pk}/close/")
    body = page.get(f"{W}/{session.pk}/").content.decode()
    assert 'id="side-by-side"' in body and "-0.200" in body
    assert "Poor agreement" in body and "41.7%" in body and "85.83" in body
    assert "Krippendorff's alpha (interval), over all criteria" in body


def test_everyone_agreeing_everywhere_is_perfect_agreement_not_a_crash(q, api_client):
    w = q.world
    session = start(q, q.coach, w.manager2)
    score(api_client, q.coach, session, all_good(q))
    result = score(api_client, w.manager2, session, all_good(q))["result"]
    assert (result["alpha"], result["alpha_state"], result["agreement"]) == (
        None,
        "perfect",
        100.0,
    )
    assert [e["diff"] for e in result["evaluators"]] == [0.0, 0.0]
    c = Client()
    c.force_login(q.coach)
    body = c.get(f"{W}/{session.pk}/").content.decode()
    assert "Perfect agreement" in body and "100%" in body


def test_one_score_only(q, api_client):
    w = q.world
    session = start(q, q.coach, w.manager2)
    result = score(api_client, q.coach, session, all_good(q))["result"]
    assert (result["alpha"], result["alpha_state"], result["agreement"], result["mean_score"]) == (
        None,
        "too_few",
        None,
        100.0,
    )
    assert all(c["agreement"] is None and c["pairs"] == 0 for c in result["criteria"])
    c = Client()
    c.force_login(q.coach)
    r = c.get(f"{W}/{session.pk}/")
    assert r.status_code == 200
    assert "Needs at least two evaluators" in r.content.decode()


def test_a_closed_session_nobody_scored(q, api_client):
    w = q.world
    session = start(q, q.coach, w.manager2)
    c = Client()
    c.force_login(q.manager)
    assert c.post(f"{W}/{session.pk}/close/").status_code == 302
    r = c.get(f"{W}/{session.pk}/")
    assert r.status_code == 200 and "Nobody has scored this session." in r.content.decode()
    out = api_client(q.manager).get(f"{API}/{session.pk}").json()
    assert out["result"]["evaluators"] == [] and out["result"]["alpha_state"] == "too_few"
