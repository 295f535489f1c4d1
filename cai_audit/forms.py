from django.core.exceptions import ValidationError


def form_add_errors(form, error: Exception) -> None:
    """Show a service's refusal on the form: field errors on their fields, the rest on top."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(error, ValidationError):
        form.add_error(None, error.messages)
    else:
        form.add_error(None, getattr(error, "message", None) or str(error))
