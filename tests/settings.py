"""The test suite's settings: production's, plus a test-only app that registers a fourth
AI-label kind (tests/toykind), so the suite shows a kind is one registration."""

from cai_audit.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.toykind"]  # noqa: F405
