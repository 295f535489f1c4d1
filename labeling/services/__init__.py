"""Writes for the AI side, one module per concern: items, critics, runs, processing."""
