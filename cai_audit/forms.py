from django import forms
from django.core.exceptions import ValidationError

from .bounds import ID_MAX


def form_add_errors(form, error: Exception) -> None:
    """Show a service's refusal on the form: field errors on their fields, the rest on top."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(error, ValidationError):
        form.add_error(None, error.messages)
    else:
        form.add_error(None, getattr(error, "message", None) or str(error))


class ModelMultipleIdsField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses an id past 64 bits as an invalid choice before it
    reaches SQL: Django's `pk__in` lookup passes it on, and SQLite raises OverflowError (a 500)."""

    def _check_values(self, value):
        values = value if isinstance(value, list | tuple) else [value]
        for pk in values:
            text = str(pk).strip().removeprefix("-")
            if text.isdecimal() and int(text) > ID_MAX:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
