import pytest
from django.test import Client

from cai_audit.roles import POLICY_EDITOR, RESEARCHER, REVIEWER
from constitutions import services
from tests.factories import UserFactory, principle_fields


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", roles=[POLICY_EDITOR])


@pytest.fixture
def second_editor(db):
    return UserFactory(username="editor2", roles=[POLICY_EDITOR])


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", roles=[REVIEWER])


@pytest.fixture
def researcher(db):
    return UserFactory(username="researcher", roles=[RESEARCHER])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(editor):
    return logged_in(editor)


@pytest.fixture
def reviewer_client(reviewer):
    return logged_in(reviewer)


@pytest.fixture
def constitution(editor):
    return services.constitution_create(actor=editor, name="Test constitution", owners=[editor])


@pytest.fixture
def draft(constitution, editor):
    """Draft v1 with HARM-01, HARM-02 (+ de-DE addendum) and HON-01."""
    version = constitution.versions.get(number=1)
    services.principle_create(actor=editor, version=version, **principle_fields("HARM-01"))
    services.principle_create(actor=editor, version=version, **principle_fields("HARM-02"))
    services.principle_create(
        actor=editor, version=version, **principle_fields("HARM-02", locale="de-DE")
    )
    services.principle_create(
        actor=editor, version=version, **principle_fields("HON-01", category="honesty")
    )
    return version


@pytest.fixture
def published(draft, editor):
    return services.version_publish(actor=editor, version=draft, changelog="First version")
