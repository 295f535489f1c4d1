"""Every permission the product checks, by name, and the one way to check one.

Pages (`permission_required`), the API (`cai_audit.api_base`) and services (`permission_require`)
name permissions from this module only; the roles in `cai_audit.roles` grant them. The codenames
are declared on the models' `Meta.permissions` of their apps (Django creates the rows).

A requirement is one permission, a tuple of which any one will do (an `AnyOf`), or
`AUTHENTICATED` (any logged-in user: the service checks a finer rule, such as "the queue is
assigned to you"). Reading is permissioned too: a reviewer audits AI labels blind, so the AI's
labels and gold labels need VIEW_LABELS or VIEW_AGREEMENT, which reviewers do not hold.
"""

from collections.abc import Callable
from functools import wraps
from typing import Final

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

# Constitutions: anyone logged in reads them; authors edit drafts, publishers freeze and tag them.
AUTHOR_CONSTITUTION: Final = "constitutions.author_constitution"
PUBLISH_CONSTITUTION: Final = "constitutions.publish_constitution"
# Labeling: AI labels and what made them (items, critic configurations, runs).
VIEW_LABELS: Final = "labeling.view_labels"
IMPORT_ITEMS: Final = "labeling.import_items"
RUN_LABELING: Final = "labeling.run_labeling"
MANAGE_CRITICS: Final = "labeling.manage_critics"
# Labels made elsewhere: file imports, the streaming API (service accounts hold only this), and
# the external judges and sources they name.
IMPORT_LABELS: Final = "labeling.import_labels"
INGEST_LABELS: Final = "labeling.ingest_labels"
MANAGE_SOURCES: Final = "labeling.manage_sources"
# Reviews: samples, queues and adjudication; gold labels and the agreement dashboards.
DRAW_SAMPLE: Final = "reviews.draw_sample"
LEAD_REVIEWS: Final = "reviews.lead_reviews"
VIEW_AGREEMENT: Final = "reviews.view_agreement"
# Red team: suites, runs, verdicts and comparisons.
VIEW_REDTEAM: Final = "redteam.view_redteam"
MANAGE_SUITES: Final = "redteam.manage_suites"
RUN_REDTEAM: Final = "redteam.run_redteam"
# Automation: rules that send arriving labels to review, scheduled draws, drift/backlog checks.
MANAGE_AUTOMATION: Final = "automation.manage_automation"
# Training: dataset snapshots and training jobs.
EXPORT_DATASET: Final = "training.export_dataset"
RUN_TRAINING: Final = "training.run_training"
# Notifications: everyone manages their own channels; team channels (a role's) need this.
MANAGE_TEAM_CHANNELS: Final = "notifications.manage_team_channels"

ALL: Final = frozenset({
    AUTHOR_CONSTITUTION, PUBLISH_CONSTITUTION,
    VIEW_LABELS, IMPORT_ITEMS, RUN_LABELING, MANAGE_CRITICS,
    IMPORT_LABELS, INGEST_LABELS, MANAGE_SOURCES,
    DRAW_SAMPLE, LEAD_REVIEWS, VIEW_AGREEMENT,
    VIEW_REDTEAM, MANAGE_SUITES, RUN_REDTEAM,
    EXPORT_DATASET, RUN_TRAINING, MANAGE_AUTOMATION,
    MANAGE_TEAM_CHANNELS,
})  # fmt: skip

AnyOf = tuple[str, ...]
# Samples are for the people who draw them and the leads who open queues on them.
SEE_SAMPLES: Final[AnyOf] = (DRAW_SAMPLE, LEAD_REVIEWS)
# Datasets hold labelled content: reading them needs the same roles as making them.
SEE_TRAINING: Final[AnyOf] = (EXPORT_DATASET, RUN_TRAINING)
# Reviewers' flags on a principle: for its authors and for those who see the agreement figures.
SEE_PRINCIPLE_FLAGS: Final[AnyOf] = (AUTHOR_CONSTITUTION, VIEW_AGREEMENT)
# Automation rules, schedules and checks: for those who see labels or the agreement figures.
SEE_AUTOMATION: Final[AnyOf] = (VIEW_AGREEMENT, VIEW_LABELS)


class _Authenticated:
    """Any logged-in user; the service that does the work checks the finer rule."""

    def __repr__(self) -> str:
        return "AUTHENTICATED"


AUTHENTICATED: Final = _Authenticated()

Requirement = str | AnyOf | _Authenticated
User = AbstractBaseUser | AnonymousUser


def requirement_valid(requirement: object) -> bool:
    """Whether `requirement` names known permissions (or is AUTHENTICATED). None is not one."""
    if requirement is AUTHENTICATED:
        return True
    if isinstance(requirement, str):
        return requirement in ALL
    return (
        isinstance(requirement, tuple)
        and bool(requirement)
        and all(isinstance(name, str) and name in ALL for name in requirement)
    )


def user_holds(user: User | None, requirement: Requirement) -> bool:
    """Whether a logged-in `user` meets `requirement`. An unknown requirement is never met."""
    if user is None or not user.is_authenticated or not requirement_valid(requirement):
        return False
    if requirement is AUTHENTICATED:
        return True
    names = (requirement,) if isinstance(requirement, str) else requirement
    return any(user.has_perm(name) for name in names)


def has_any_perm(user: User, perms: AnyOf) -> bool:
    return user_holds(user, perms)


def permission_check(user: User, requirement: Requirement, *, action: str | None = None) -> None:
    """Refuse (PermissionDenied, a 403) unless `user` meets `requirement`; the 403 page names
    `action` when given.

    Raises PermissionDenied."""
    if not user_holds(user, requirement):
        raise PermissionDenied(f"Your role cannot {action}." if action else "")


def permission_require(actor: AbstractBaseUser | None, perm: Requirement, *, action: str) -> None:
    """Refuse `action` unless `actor` holds `perm`. `actor=None` is the system (commands, demo).

    Raises PermissionDenied."""
    if actor is None:
        return
    if not user_holds(actor, perm):
        raise PermissionDenied(f"You do not have permission to {action}.")


def permission_required(requirement: Requirement, *, action: str | None = None) -> Callable:
    """A page that needs `requirement`: a signed-out browser goes to the login page (an htmx
    request gets the 401 of `SessionExpiryMiddleware`), a signed-in user without it gets 403."""
    if not requirement_valid(requirement):
        raise ValueError(f"Unknown permission requirement {requirement!r}.")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def checked(request, *args, **kwargs):
            permission_check(request.user, requirement, action=action)
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorator
