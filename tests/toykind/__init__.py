"""A test-only app that adds a fourth AI-label kind with one registration (apps.py), to show
that sampling, review and the dashboards need no edit for a new kind."""
