import pytest
from django.core.management import CommandError, call_command

from constitutions.models import ConstitutionVersion

pytestmark = pytest.mark.django_db


def test_export_then_import_commands_round_trip(published, tmp_path):
    path = tmp_path / "constitution.yaml"
    call_command("constitution_export", str(published.pk), "--output", str(path))
    call_command("constitution_import", str(path))
    draft = ConstitutionVersion.objects.get(constitution=published.constitution, number=2)
    assert draft.status == "draft" and draft.principles.count() == 4
    again = tmp_path / "again.yaml"
    call_command("constitution_export", str(draft.pk), "--output", str(again))
    assert path.read_text().split("\n", 1)[1] == again.read_text().split("\n", 1)[1]


def test_import_command_lists_problems_and_writes_nothing(published, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "format: cai-audit/constitution@1\nconstitution: {name: X}\nprinciples:\n- {code: nope}\n"
    )
    before = ConstitutionVersion.objects.count()
    with pytest.raises(CommandError) as caught:
        call_command("constitution_import", str(path))
    message = str(caught.value)
    assert "bad.yaml: line 4, principles[0].code: must look like HARM-01" in message
    assert "principles[0].title: is required" in message
    assert ConstitutionVersion.objects.count() == before


def test_import_command_checks_the_acting_users_permission(published, reviewer, tmp_path):
    path = tmp_path / "c.yaml"
    call_command("constitution_export", str(published.pk), "--output", str(path))
    with pytest.raises(CommandError, match="permission"):
        call_command("constitution_import", str(path), "--as-user", "reviewer")


def test_export_of_a_missing_version_is_a_clear_error():
    with pytest.raises(CommandError, match="No constitution version with id 999"):
        call_command("constitution_export", "999")
