"""bench/quality.py's loader, small: 1,000 evaluations on the test database (COPY on
PostgreSQL, INSERTs on SQLite). The rows it writes must be what the product would have
written: scores by the product's scoring, answers per criterion, two scorecard versions."""

import importlib.util
from pathlib import Path

from caredesk.quality import scoring
from caredesk.quality.models import Answer, Evaluation, ScorecardVersion
from caredesk.quality.selectors import evaluations_visible
from caredesk.quality.services import given_of
from caredesk.workspaces.access import get_access

BENCH = Path(__file__).resolve().parents[2] / "bench" / "quality.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_quality", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bench_loads_evaluations_the_product_would_have_scored(transactional_db):
    bench = _bench()
    people = bench.load(1000, seed=7)
    workspace = people["workspace"]
    evaluations = Evaluation.objects.filter(workspace=workspace)
    assert evaluations.count() == 1000
    assert Answer.objects.filter(evaluation__workspace=workspace).count() == people["answers"]
    # Every evaluation has one answer per regular criterion (7), plus the bonus when answered.
    per = {
        e.pk: e.answers.count() for e in evaluations.prefetch_related("answers").order_by("pk")[:50]
    }
    assert set(per.values()) <= {7, 8}
    # Two versions: v2 (resolution weighted 5) for the last 30 days.
    v1, v2 = ScorecardVersion.objects.filter(scorecard=people["card"]).order_by("number")
    assert (v1.number, v2.number) == (1, 2)
    assert evaluations.filter(version=v1).exists() and evaluations.filter(version=v2).exists()
    # The stored score is the product's score of the stored answers, on the stored version.
    for e in evaluations.select_related("version").order_by("pk")[:200]:
        result = scoring.score(
            scoring.criteria_of(e.version.sections), given_of(e), e.version.pass_mark
        )
        assert (e.score, e.passed, e.auto_failed) == (
            result.score,
            result.passed,
            result.auto_failed,
        )
    # The visibility rule applies: a store manager sees the 5 agents of their store, the
    # coach their region's 20, an agent their own.
    readers = {label.split(" ")[0]: (user, agent) for label, user, agent in bench.readers(people)}
    store_manager = get_access(readers["store"][0], "support")
    coach = get_access(readers["coach"][0], "support")
    agent = get_access(readers["agent"][0], "support")
    assert evaluations_visible(store_manager).values("agent").distinct().count() == 5
    assert evaluations_visible(coach).values("agent").distinct().count() == 20
    assert set(evaluations_visible(agent).values_list("agent", flat=True)) == {
        readers["agent"][0].pk
    }
