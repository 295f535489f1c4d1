from django import template

register = template.Library()


@register.filter
def field_label(name: str) -> str:
    """critique_request -> Critique request."""
    return str(name).replace("_", " ").capitalize()
