"""Errors of queued work, importable by pure code (model backends) without Django or Celery."""


class TransientError(Exception):
    """An error a retry may fix (a model server that timed out or answered 5xx, a lost
    connection). Backends raise subclasses of it; the base task retries them."""
