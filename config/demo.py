"""Demo data that `make run` loads: one user per role, then each app's demo content."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from automation.demo import demo_automation_load
from cai_audit.roles import POLICY_EDITOR, RESEARCHER, REVIEW_LEAD, REVIEWER
from constitutions.demo import demo_constitution_load
from ingest.demo import demo_ingest_load
from labeling.demo import demo_labeling_load
from redteam.demo import demo_redteam_load


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


DEMO_LOGINS = (
    DemoLogin("admin", "admin-demo", "staff admin"),
    DemoLogin("policy", "policy-demo", POLICY_EDITOR),
    DemoLogin("reviewer", "reviewer-demo", REVIEWER),
    DemoLogin("reviewer2", "reviewer2-demo", REVIEWER),
    DemoLogin("lead", "lead-demo", REVIEW_LEAD),
    DemoLogin("researcher", "researcher-demo", RESEARCHER),
)


def demo_users_load() -> dict[str, object]:
    User = get_user_model()
    users = {}
    for login in DEMO_LOGINS:
        user, created = User.objects.get_or_create(username=login.username)
        if created:
            user.set_password(login.password)
            user.is_staff = user.is_superuser = login.role == "staff admin"
            user.save()
        if login.role != "staff admin":
            user.groups.add(Group.objects.get(name=login.role))
        users[login.username] = user
    return users


@transaction.atomic
def demo_load() -> None:
    users = demo_users_load()
    constitution = demo_constitution_load(owner=users["policy"])
    latest = constitution.versions.filter(status="published").order_by("-number").first()
    demo_labeling_load(owner=users["researcher"], version=latest)
    demo_redteam_load(owner=users["researcher"], version=latest)
    source = demo_ingest_load(owner=users["researcher"])
    demo_automation_load(
        lead=users["lead"], source=source, reviewers=[users["reviewer"], users["reviewer2"]]
    )
