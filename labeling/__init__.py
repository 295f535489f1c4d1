"""Imported items, model backends, AI labels, sampling, reviews and agreement (issues 3-5)."""
