"""The quality scene (a scorecard and its criteria) for the coaching tasks' sessions."""

from tests.quality.conftest import q  # noqa: F401
