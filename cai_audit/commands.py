"""Shared bits of management commands: acting as a user, turning domain errors into exits."""

from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from .errors import DomainError, ImportProblems


def actor_from(username: str | None):
    """None (the system) when no user is named; the named user's permissions apply otherwise."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user {username!r}.")
    return user


@contextmanager
def command_errors(source: str = ""):
    prefix = f"{source}: " if source else ""
    try:
        yield
    except ImportProblems as error:
        lines = "\n".join(f"  {prefix}{problem}" for problem in error.problems)
        raise CommandError(f"{error.message}\n{lines}") from None
    except (DomainError, PermissionDenied) as error:
        raise CommandError(str(error)) from None
    except ValidationError as error:
        raise CommandError("; ".join(error.messages)) from None
