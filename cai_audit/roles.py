"""Roles are Django groups; what each may do is a set of the permissions named in
`cai_audit.permissions`.

Staff admins (is_superuser) hold every permission. Services check permissions themselves, so a
page, an API call and a script all get the same answer.

Reading is permissioned too: a reviewer audits AI labels blind, so the AI's labels (choices,
P(A), run results), gold labels and other reviewers' verdicts are for the roles that hold
VIEW_LABELS or VIEW_AGREEMENT; a reviewer holds neither and sees only the item their open
assignment hands them.
"""

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db import transaction

from . import permissions as perms

POLICY_EDITOR = "policy_editor"
REVIEWER = "reviewer"
RESEARCHER = "researcher"
REVIEW_LEAD = "review_lead"
# Service accounts of pipelines that stream labels in: ingestion only, nothing to read.
INGESTION_SERVICE = "ingestion_service"

ROLE_PERMISSIONS: dict[str, list[str]] = {
    POLICY_EDITOR: [
        perms.AUTHOR_CONSTITUTION,
        perms.PUBLISH_CONSTITUTION,
        perms.IMPORT_ITEMS,
        perms.RUN_LABELING,
        perms.VIEW_LABELS,
        perms.MANAGE_SUITES,
        perms.RUN_REDTEAM,
        perms.VIEW_REDTEAM,
        perms.VIEW_AGREEMENT,
        perms.MANAGE_TEAM_CHANNELS,
    ],
    REVIEWER: [],
    RESEARCHER: [
        perms.IMPORT_ITEMS,
        perms.RUN_LABELING,
        perms.MANAGE_CRITICS,
        perms.VIEW_LABELS,
        perms.IMPORT_LABELS,
        perms.MANAGE_SOURCES,
        perms.MANAGE_SUITES,
        perms.RUN_REDTEAM,
        perms.VIEW_REDTEAM,
        perms.DRAW_SAMPLE,
        perms.VIEW_AGREEMENT,
        perms.EXPORT_DATASET,
        perms.RUN_TRAINING,
        perms.MANAGE_AUTOMATION,
    ],
    REVIEW_LEAD: [
        perms.VIEW_LABELS,
        perms.IMPORT_LABELS,
        perms.VIEW_REDTEAM,
        perms.DRAW_SAMPLE,
        perms.LEAD_REVIEWS,
        perms.VIEW_AGREEMENT,
        perms.MANAGE_TEAM_CHANNELS,
        perms.MANAGE_AUTOMATION,
    ],
    INGESTION_SERVICE: [perms.INGEST_LABELS],
}


def role_names(user: AbstractBaseUser | AnonymousUser) -> list[str]:
    if not user.is_authenticated:
        return []
    names = sorted(g.name for g in user.groups.all() if g.name in ROLE_PERMISSIONS)
    if user.is_superuser:
        names.insert(0, "admin")
    return names


def user_or_none(actor: AbstractBaseUser | AnonymousUser | None) -> AbstractBaseUser | None:
    """The user to store on a record: None for the system or an anonymous request."""
    return actor if actor is not None and actor.is_authenticated else None


@transaction.atomic
def roles_sync() -> None:
    """Create the role groups and give each exactly its permissions (idempotent)."""
    for role, granted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in granted:
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
