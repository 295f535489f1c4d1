"""Roles are Django groups; what each may do is a set of permissions (app_label.codename).

Staff admins (is_superuser) hold every permission. Services check permissions themselves, so a
page, an API call and a script all get the same answer.

Reading is permissioned too: a reviewer audits AI labels blind, so the AI's labels (choices,
P(A), run results), gold labels and other reviewers' verdicts are for the roles that hold
VIEW_LABELS or VIEW_GOLD; a reviewer holds neither and sees only the item their open assignment
hands them.
"""

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction

POLICY_EDITOR = "policy_editor"
REVIEWER = "reviewer"
RESEARCHER = "researcher"
REVIEW_LEAD = "review_lead"

# Read permissions checked by pages and API endpoints across the apps.
VIEW_LABELS = "labeling.view_labels"  # AI labels, labeling runs, items, critic configurations
VIEW_GOLD = "reviews.view_agreement"  # gold labels, adjudications' outcomes, agreement dashboards

ROLE_PERMISSIONS: dict[str, list[str]] = {
    POLICY_EDITOR: [
        "constitutions.author_constitution",
        "constitutions.publish_constitution",
        "labeling.import_items",
        "labeling.run_labeling",
        "labeling.view_labels",
        "redteam.manage_suites",
        "redteam.run_redteam",
        "redteam.view_redteam",
        "reviews.view_agreement",
    ],
    REVIEWER: [],
    RESEARCHER: [
        "labeling.import_items",
        "labeling.run_labeling",
        "labeling.manage_critics",
        "labeling.view_labels",
        "redteam.manage_suites",
        "redteam.run_redteam",
        "redteam.view_redteam",
        "reviews.draw_sample",
        "reviews.view_agreement",
        "training.export_dataset",
        "training.run_training",
    ],
    REVIEW_LEAD: [
        "labeling.view_labels",
        "redteam.view_redteam",
        "reviews.draw_sample",
        "reviews.lead_reviews",
        "reviews.view_agreement",
    ],
}


def role_names(user: AbstractBaseUser | AnonymousUser) -> list[str]:
    if not user.is_authenticated:
        return []
    names = sorted(g.name for g in user.groups.all() if g.name in ROLE_PERMISSIONS)
    if user.is_superuser:
        names.insert(0, "admin")
    return names


def has_any_perm(user: AbstractBaseUser | AnonymousUser, perms: tuple[str, ...]) -> bool:
    return bool(user.is_authenticated) and any(user.has_perm(perm) for perm in perms)


def user_or_none(actor: AbstractBaseUser | AnonymousUser | None) -> AbstractBaseUser | None:
    """The user to store on a record: None for the system or an anonymous request."""
    return actor if actor is not None and actor.is_authenticated else None


def permission_require(actor: AbstractBaseUser | None, perm: str, *, action: str) -> None:
    """Refuse `action` unless `actor` holds `perm`. `actor=None` is the system (commands, demo)."""
    if actor is None:
        return
    if not actor.is_authenticated or not actor.has_perm(perm):
        raise PermissionDenied(f"You do not have permission to {action}.")


@transaction.atomic
def roles_sync() -> None:
    """Create the role groups and give each exactly its permissions (idempotent)."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)


def roles_sync_after_migrate(sender, app_config=None, **kwargs) -> None:
    # post_migrate fires once per app that has models; by the last one every permission exists.
    last_app = [config for config in apps.get_app_configs() if config.models_module][-1]
    if app_config is not None and app_config.label == last_app.label:
        roles_sync()
