"""Numbers people set are bounded once, on the model, and every door uses that bound: the
pages' forms, the API's serializers, the YAML importer, the services (so commands too) and the
database."""

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers as drf_serializers
from rest_framework.authtoken.models import Token
from rest_framework.relations import ManyRelatedField, RelatedField
from rest_framework.test import APIClient

from cai_audit.errors import DomainError, ImportProblems
from constitutions import services
from constitutions.models import Constitution
from labeling.models import CriticConfig
from labeling.services.runs import run_create
from reviews.models import SampledLabel
from tests.conftest import logged_in
from tests.support.apps import OUR_APPS
from training.engine.config import TrainConfig
from training.models import TrainingJob

pytestmark = pytest.mark.django_db

NUMERIC = (models.IntegerField, models.FloatField, models.DecimalField)
# Measurements only our own code writes: non-negative, with no natural ceiling.
MEASUREMENTS = {(SampledLabel, "score"), (TrainingJob, "eta_s")}
HUGE = 3_000_000


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


YAML = """format: cai-audit/constitution@1
constitution:
  name: Imported
  review_cadence_days: {cadence}
changelog: ''
principles:
- code: HARM-01
  title: Harm
  category: harmlessness
  priority: {priority}
  critique_request: Find harm.
  revision_instruction: Remove it.
"""


def test_a_review_cadence_of_millions_of_days_is_refused_by_every_door(editor, constitution):
    client = logged_in(editor)
    page = client.post(
        "/constitutions/new/", {"name": "Long", "review_cadence_days": HUGE, "description": ""}
    )
    assert page.status_code == 200 and "review_cadence_days" in page.context["form"].errors
    api = _api(editor)
    created = api.post("/api/constitutions/", {"name": "Long", "review_cadence_days": HUGE})
    changed = api.patch(
        f"/api/constitutions/{constitution.pk}/", {"review_cadence_days": HUGE}, format="json"
    )
    for response in (created, changed):
        assert response.status_code == 400
        assert "3650" in str(response.json()["review_cadence_days"])
    with pytest.raises(ImportProblems) as refused:
        services.version_import_yaml(actor=editor, text=YAML.format(cadence=HUGE, priority=1))
    assert any("line 4" in p and "review_cadence_days" in p for p in refused.value.problems)
    with pytest.raises(ImportProblems) as refused:
        services.version_import_yaml(actor=editor, text=YAML.format(cadence=90, priority=10**20))
    assert any("line 10" in p and "priority" in p for p in refused.value.problems)
    assert not Constitution.objects.filter(name__in=["Long", "Imported"]).exists()
    # Everyone's lists still work (a due date past the year 9999 used to make them 500).
    assert client.get("/constitutions/").status_code == 200
    assert api.get("/api/constitutions/").status_code == 200


def test_the_database_refuses_settings_outside_their_bounds(editor):
    with pytest.raises(IntegrityError), transaction.atomic():
        Constitution.objects.create(name="Direct", review_cadence_days=HUGE)
    with pytest.raises(IntegrityError), transaction.atomic():
        CriticConfig.objects.create(name="hot", backend="transformers", model="m", temperature=50)


def test_services_refuse_out_of_range_numbers_for_commands_too(
    published,
    population,
    researcher,
):
    with pytest.raises(DomainError, match="seed"):
        run_create(
            actor=researcher, constitution_version=published, item_set=population.item_set,
            critic=population.critic, task="preference", seed=10**12,
        )  # fmt: skip


def _numeric_fields():
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, NUMERIC) and not field.primary_key and not field.is_relation:
                yield model, field


def test_every_numeric_model_field_has_bounds():
    unbounded = []
    for model, field in _numeric_fields():
        kinds = {type(v) for v in field.validators}
        needed = {MinValueValidator} if (model, field.name) in MEASUREMENTS else {
            MinValueValidator, MaxValueValidator,
        }  # fmt: skip
        if not needed <= kinds:
            unbounded.append(f"{model.__name__}.{field.name}")
    assert not unbounded, unbounded


def _project_forms():
    for app in OUR_APPS:
        for module_name in (f"{app}.forms", f"{app}.scope"):
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                continue
            for _, form in inspect.getmembers(module, inspect.isclass):
                if issubclass(form, forms.BaseForm) and form.__module__ == module_name:
                    yield form


def test_every_number_a_page_form_takes_has_bounds():
    found, unbounded = 0, []
    for form in _project_forms():
        model = getattr(getattr(form, "_meta", None), "model", None)
        for name, field in form.base_fields.items():
            if not isinstance(field, forms.IntegerField | forms.FloatField):
                continue
            found += 1
            if model is not None and name in {f.name for f in model._meta.fields}:
                continue  # a ModelForm field: the model's validators run (test above)
            if field.min_value is None or field.max_value is None:
                unbounded.append(f"{form.__name__}.{name}")
    assert found > 20 and not unbounded, unbounded


def _numbers(schema: dict, components: dict, where: str):
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        yield from _numbers(components[name], components, name)
        return
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            yield from _numbers(part, components, where)
    if schema.get("type") in ("integer", "number") and not schema.get("readOnly"):
        yield where, schema
    if schema.get("type") == "array" and "items" in schema:
        yield from _numbers(schema["items"], components, f"{where}[]")
    for name, prop in schema.get("properties", {}).items():
        yield from _numbers(prop, components, f"{where}.{name}")


def _relation_properties() -> set[str]:
    """ "Component.field" of every related-object field of our serializers: an id that names a
    row, which a lookup refuses when there is none (whatever its size)."""
    found = set()
    for app in OUR_APPS:
        try:
            module = importlib.import_module(f"{app}.serializers")
        except ModuleNotFoundError:
            continue
        for name, serializer in inspect.getmembers(module, inspect.isclass):
            if not issubclass(serializer, drf_serializers.Serializer) or name == "Serializer":
                continue
            if issubclass(serializer, drf_serializers.ModelSerializer) and not hasattr(
                serializer, "Meta"
            ):
                continue  # a base for other serializers (it names no model of its own)
            component = name.removesuffix("Serializer")
            for field_name, field in serializer().fields.items():
                if isinstance(field, RelatedField | ManyRelatedField):
                    # drf-spectacular names a PATCH body's component "Patched<Component>".
                    for where in (component, f"Patched{component}"):
                        found |= {f"{where}.{field_name}", f"{where}.{field_name}[]"}
    return found


def test_every_number_an_api_request_body_takes_has_bounds():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    relations = _relation_properties()
    found, unbounded = 0, set()
    for operations in schema["paths"].values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                for where, number in _numbers(media["schema"], components, "body"):
                    found += 1
                    if where in relations:
                        continue
                    if "minimum" not in number or "maximum" not in number:
                        unbounded.add(where)
    assert found > 30 and not unbounded, sorted(unbounded)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"max_steps": 10**12}, "max_steps must be a positive whole number of at most"),
        ({"learning_rate": float("inf")}, "learning_rate must be positive and at most"),
        ({"learning_rate": True}, "learning_rate must be positive"),
        ({"beta": 1e300}, "beta must be positive and at most"),
        ({"seed": 2**40}, "seed must be from 0 to"),
        ({"max_length": 8}, "max_length must be at least 16"),
    ],
)
def test_training_settings_beyond_their_bounds_are_refused(change, message, tmp_path):
    config = TrainConfig.from_dict(
        {"method": "dpo", "base_model": str(tmp_path), "dataset_path": "x", "output_dir": "o"}
        | change
    )
    with pytest.raises(ValueError, match=message):
        config.validate()
