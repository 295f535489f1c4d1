"""What a principle must look like. Pure: shared by the models, forms and the YAML importer."""

import re
from typing import Any

CODE_PATTERN = r"^[A-Z][A-Z0-9]{1,15}-[0-9]{2,4}$"
# BCP-47, the subset teams use: language, optional script, optional region (de-DE, zh-Hant-TW).
LOCALE_PATTERN = r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$"
CATEGORY_PATTERN = r"^[a-z][a-z0-9_-]{0,63}$"

# The fields of a principle as written in YAML, the API and the diff, in display order.
TEXT_FIELDS = ("title", "critique_request", "revision_instruction", "few_shot_example")
SCALAR_FIELDS = ("category", "priority")
PRINCIPLE_FIELDS = ("code", "locale", "title", "category", "priority") + TEXT_FIELDS[1:]
REQUIRED_FIELDS = ("code", "title", "category", "critique_request", "revision_instruction")
MAX_LENGTHS = {"code": 32, "locale": 35, "title": 200, "category": 64}
# Numbers, inclusive. The models' validators and check constraints use the same ranges.
PRIORITY_RANGE = (0, 1_000_000)
REVIEW_CADENCE_DAYS_RANGE = (1, 3650)  # up to ten years: a due date is always a real date


def whole_number_problem(value: Any, bounds: tuple[int, int]) -> str | None:
    """Why `value` is not a whole number within `bounds`, or None when it is."""
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return f"must be a whole number from {low} to {high} (got {value!r})"
    return None


def principle_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Problems with one principle's fields, as (field, message) pairs; empty when valid."""
    problems: list[tuple[str, str]] = []
    for field in REQUIRED_FIELDS:
        value = data.get(field)
        if not isinstance(value, str) or not value.strip():
            problems.append((field, "is required and must be non-empty text"))
    for field in ("locale", "few_shot_example"):
        if field in data and not isinstance(data[field], str):
            problems.append((field, "must be text"))
    for field, limit in MAX_LENGTHS.items():
        value = data.get(field)
        if isinstance(value, str) and len(value) > limit:
            problems.append((field, f"is longer than {limit} characters"))
    checks = (
        ("code", CODE_PATTERN, "must look like HARM-01"),
        ("locale", LOCALE_PATTERN, "must be a BCP-47 tag like de-DE, or empty"),
        ("category", CATEGORY_PATTERN, "must be lowercase words joined by - or _"),
    )
    for field, pattern, message in checks:
        value = data.get(field)
        if isinstance(value, str) and value and not re.match(pattern, value):
            problems.append((field, f"{message} (got {value!r})"))
    priority_problem = whole_number_problem(data.get("priority", 100), PRIORITY_RANGE)
    if priority_problem:
        problems.append(("priority", priority_problem))
    return problems


def principle_key(code: str, locale: str) -> str:
    """How people refer to one principle text: HARM-01, or HARM-01@de-DE for an addendum."""
    return f"{code}@{locale}" if locale else code
