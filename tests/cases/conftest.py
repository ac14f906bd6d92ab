from tests.journey.conftest import ana, chat  # noqa: F401  (the desk's chat and contact)
