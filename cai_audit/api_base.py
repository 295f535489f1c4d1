"""The base of every API viewset: deny by default, one named permission per unsafe action.

A viewset says who may use it at all (`read_permission`) and, in `action_permissions`, the
permission each unsafe action needs (create, update, partial_update, destroy and every `@action`
that takes POST, PUT, PATCH or DELETE). An unsafe action that names none is refused with a 403,
so a new endpoint cannot forget its check; `tests/cai_audit/test_permissions.py` walks every
route and fails on one that names none. Requirements are those of `cai_audit.permissions`:

    class RunViewSet(mixins.ListModelMixin, ApiViewSet):
        read_permission = permissions.VIEW_LABELS
        action_permissions = {"create": permissions.RUN_LABELING}

Services check the same permission again (a script or a page takes the same door), and finer,
per-object rules (author-only, the reviewer's own assignment, blind queues) stay in the services
and querysets.
"""

from collections.abc import Mapping

from drf_spectacular.openapi import AutoSchema
from rest_framework import permissions as drf_permissions
from rest_framework import viewsets

from . import permissions
from .permissions import Requirement, user_holds

UNNAMED_MESSAGE = "This action names no permission, so it is refused."


class ActionPermission(drf_permissions.BasePermission):
    """Every request needs the viewset's `read_permission`; an unsafe one also needs the
    requirement its `action_permissions` name for the action. A viewset without
    `read_permission`, or an unsafe action missing from the mapping, is refused."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if not user_holds(user, getattr(view, "read_permission", None)):
            return False
        if request.method in drf_permissions.SAFE_METHODS:
            return True
        if view.action is None:
            return True  # no handler for this method: DRF answers 405, nothing runs
        needed = getattr(view, "action_permissions", {}).get(view.action)
        if not permissions.requirement_valid(needed):
            self.message = UNNAMED_MESSAGE
            return False
        return user_holds(user, needed)


def requirement_text(requirement: object) -> str:
    """A requirement in words, for the API's documentation."""
    if requirement is permissions.AUTHENTICATED:
        return "any logged-in user"
    if isinstance(requirement, str):
        return f"`{requirement}`"
    if permissions.requirement_valid(requirement):
        return "one of " + ", ".join(f"`{name}`" for name in requirement)
    return "nobody (the action names no permission)"


class PermissionSchema(AutoSchema):
    """Each operation's description ends with the permission it needs, as ActionPermission
    checks it."""

    def get_description(self) -> str:
        description = super().get_description() or ""
        read = getattr(self.view, "read_permission", None)
        needs = f"Needs {requirement_text(read)}"
        if self.method.upper() not in drf_permissions.SAFE_METHODS:
            action = getattr(self.view, "action", None)
            needed = getattr(self.view, "action_permissions", {}).get(action)
            needs += f", and for this action {requirement_text(needed)}"
        return f"{description}\n\n{needs}.".strip()


class ApiViewMixin:
    """Permission wiring and input parsing shared by every viewset of the API."""

    permission_classes = [ActionPermission]
    schema = PermissionSchema()
    # Who may use the endpoint at all; deliberately no default (a viewset that names none is
    # refused).
    read_permission: Requirement
    # action name -> requirement, for every unsafe action; the unnamed are refused.
    action_permissions: Mapping[str, Requirement] = {}

    def validated(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def conflict_serializer(self, instance):
        """The serializer of the current state sent with a 409 edit conflict (None: no body)."""
        return None


class ApiViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """A viewset over a queryset (list, retrieve and the actions of its mixins)."""


class ApiReportViewSet(ApiViewMixin, viewsets.ViewSet):
    """A viewset of computed reports (no queryset)."""
