"""Bounds on numbers and dates that come from people: declared once, used everywhere.

A numeric setting is bounded on its model field (validators, plus a database check where
sensible). ModelForms and ModelSerializers pick those validators up by themselves; plain forms
and serializers ask `bounds()` for the same numbers, so a page, the API and an importer refuse
the same values with the same limits.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import migrations, models

from .errors import DomainError

# Ids are 64-bit; a larger number in a query string is refused before it reaches SQL (SQLite
# raises OverflowError on it).
ID_MAX = 2**63 - 1
# The seed of a random draw: anything numpy's generators and a 32-bit integer column accept.
SEED_MAX = 2**31 - 1
# Dates people type in filters: wide enough for any real label, far from date.max, so that
# adding a week or a day never overflows.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2999, 12, 31)


def between(low, high) -> list:
    """Validators for low <= value <= high (either may be None)."""
    validators = []
    if low is not None:
        validators.append(MinValueValidator(low))
    if high is not None:
        validators.append(MaxValueValidator(high))
    return validators


def bounds(model: type[models.Model], field_name: str) -> dict:
    """{"min_value": ..., "max_value": ...} from the model field's validators, for a plain form
    field or serializer field that takes the model's value."""
    field = model._meta.get_field(field_name)
    found = {}
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            found["min_value"] = max(found.get("min_value", validator.limit_value),
                                     validator.limit_value)  # fmt: skip
        elif isinstance(validator, MaxValueValidator):
            found["max_value"] = min(found.get("max_value", validator.limit_value),
                                     validator.limit_value)  # fmt: skip
    return found


def limits(low_high: tuple) -> dict:
    """{"min_value": low, "max_value": high} for a form or serializer field."""
    low, high = low_high
    return {"min_value": low, "max_value": high}


def numbers_check(model: type[models.Model], **values) -> None:
    """Refuse numbers outside their model fields' bounds, as a DomainError naming each field:
    what services run first, so a page, the API and a command all meet the same limits."""
    given = {name: value for name, value in values.items() if value is not None}
    others = [field.name for field in model._meta.fields if field.name not in given]
    try:
        model(**given).clean_fields(exclude=others)
    except ValidationError as error:
        problems = [f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items()]
        raise DomainError("; ".join(problems)) from None


def range_check(field_name: str, low, high, *, name: str, nullable: bool = False):
    """A database check constraint for low <= field <= high (or NULL when nullable)."""
    condition = models.Q(**{f"{field_name}__gte": low, f"{field_name}__lte": high})
    if nullable:
        condition |= models.Q(**{f"{field_name}__isnull": True})
    return models.CheckConstraint(condition=condition, name=name)


def clamp(app_label: str, model_name: str, field_name: str, low, high) -> migrations.RunPython:
    """A migration step that moves stored values into [low, high], so that the range check
    added after it holds for rows written before the bound existed."""

    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        model.objects.filter(**{f"{field_name}__lt": low}).update(**{field_name: low})
        model.objects.filter(**{f"{field_name}__gt": high}).update(**{field_name: high})

    return migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)
