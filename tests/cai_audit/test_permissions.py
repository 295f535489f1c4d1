"""One permission layer that denies by default.

Every permission the product checks is named in `cai_audit.permissions`; every API viewset uses
the API base, and each unsafe action names the permission it needs (an action that names none is
refused). The route walk below fails on a new endpoint that forgets, so it cannot ship unchecked.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from drf_spectacular.views import SpectacularAPIView
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import APIRootView
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate

from cai_audit import permissions
from cai_audit.api_base import ActionPermission, ApiViewMixin, ApiViewSet
from cai_audit.api_pages import RedocView, SwaggerView
from cai_audit.auth import TokenObtainView, TokenRotateView
from cai_audit.roles import POLICY_EDITOR, RESEARCHER, REVIEW_LEAD, REVIEWER, ROLE_PERMISSIONS
from tests.conftest import logged_in
from tests.factories import UserFactory
from tests.support.apps import OUR_APPS

UNSAFE = {"post", "put", "patch", "delete"}
# API views that are not viewsets of the API base: signing in, and the API's own description.
OPEN_API_VIEWS = {
    TokenObtainView, TokenRotateView, SpectacularAPIView, SwaggerView, RedocView, APIRootView,
}  # fmt: skip


def api_routes():
    """(route, view class, {http method: action}) of every view under api/ in the URLconf."""

    def walk(patterns, prefix):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, route)
            elif route.startswith(("api/", "^api/")):
                view = entry.callback  # DRF's as_view() marks it with the class and actions
                view_class = getattr(view, "cls", None)
                yield route, view_class, getattr(view, "actions", None)

    return list(walk(get_resolver().url_patterns, ""))


def test_every_unsafe_api_action_names_its_permission():
    """The walk: every API viewset uses the API base's permission class and names who may read
    it, and every unsafe method of every route maps to an action that names a permission."""
    problems, unsafe_seen = [], set()
    for route, view_class, actions in api_routes():
        if view_class in OPEN_API_VIEWS:
            continue
        if view_class is None or actions is None:
            problems.append(f"{route}: not a viewset of the API base")
            continue
        name = view_class.__name__
        if not issubclass(view_class, ApiViewMixin):
            problems.append(f"{route}: {name} does not use the API base")
        if ActionPermission not in view_class.permission_classes:
            problems.append(f"{route}: {name} replaces the API base's permission class")
        if not permissions.requirement_valid(getattr(view_class, "read_permission", None)):
            problems.append(f"{route}: {name} names no valid read_permission")
        for method, action_name in actions.items():
            if method not in UNSAFE:
                continue
            unsafe_seen.add((name, action_name))
            needed = view_class.action_permissions.get(action_name)
            if not permissions.requirement_valid(needed):
                problems.append(
                    f"{method.upper()} {route}: {name}.{action_name} names no permission"
                )
    assert not problems, "\n".join(problems)
    # The walk sees the routes it should (router actions, extra actions, a GET+POST action).
    assert {
        ("VersionViewSet", "publish"),
        ("QueueViewSet", "next"),
        ("RunViewSet", "matchups"),
    } <= (unsafe_seen)
    assert len(unsafe_seen) > 30


class ToyViewSet(mixins.ListModelMixin, ApiViewSet):
    """An endpoint as someone might add it: one named write, one forgotten."""

    read_permission = permissions.VIEW_LABELS
    action_permissions = {"named": permissions.RUN_LABELING}

    def list(self, request):
        return Response([])

    @action(detail=False, methods=["post"])
    def named(self, request):
        return Response({"done": True})

    @action(detail=False, methods=["post"])
    def forgotten(self, request):
        return Response({"done": True})


def call(view_class, method: str, action_name: str, user):
    request = getattr(APIRequestFactory(), method)("/api/toy/")
    force_authenticate(request, user=user)
    return view_class.as_view({method: action_name})(request)


@pytest.fixture
def staff_admin(db):
    user = UserFactory(username="root")
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user


def test_an_unsafe_action_that_names_no_permission_is_refused_even_to_an_admin(staff_admin):
    response = call(ToyViewSet, "post", "forgotten", staff_admin)
    assert response.status_code == 403
    assert "names no permission" in response.data["detail"]
    assert call(ToyViewSet, "post", "named", staff_admin).status_code == 200


def test_a_named_action_needs_its_permission_and_the_read_permission(db):
    researcher = UserFactory(username="r", roles=[RESEARCHER])  # views labels, runs labeling
    lead = UserFactory(username="l", roles=[REVIEW_LEAD])  # views labels, cannot run labeling
    reviewer = UserFactory(username="v", roles=[REVIEWER])  # neither
    assert call(ToyViewSet, "post", "named", researcher).status_code == 200
    assert call(ToyViewSet, "post", "named", lead).status_code == 403
    assert call(ToyViewSet, "get", "list", lead).status_code == 200
    assert call(ToyViewSet, "get", "list", reviewer).status_code == 403


def test_a_viewset_without_a_read_permission_or_with_an_unknown_name_is_refused(staff_admin):
    class NoReadPermission(mixins.ListModelMixin, ApiViewSet):
        def list(self, request):
            return Response([])

    assert call(NoReadPermission, "get", "list", staff_admin).status_code == 403

    class Misspelt(ToyViewSet):
        action_permissions = {"named": "labeling.run_labelling"}

    assert call(Misspelt, "post", "named", staff_admin).status_code == 403


def test_requirements_name_known_permissions_only():
    assert permissions.requirement_valid(permissions.VIEW_LABELS)
    assert permissions.requirement_valid(permissions.SEE_TRAINING)
    assert permissions.requirement_valid(permissions.AUTHENTICATED)
    for wrong in (None, "", (), "labeling.view_label", (permissions.VIEW_LABELS, "x.y"), ["a"]):
        assert not permissions.requirement_valid(wrong), wrong
    with pytest.raises(ValueError):
        permissions.permission_required("reviews.lead_review")


@pytest.mark.django_db
def test_the_module_names_exactly_the_permissions_the_apps_declare():
    """Each name is a real permission row, each permission our models declare is named, and the
    roles grant only named permissions."""
    declared = {
        f"{model._meta.app_label}.{codename}"
        for app_label in OUR_APPS
        for model in apps.get_app_config(app_label).get_models()
        for codename, _ in model._meta.permissions
    }
    assert declared == permissions.ALL
    for name in permissions.ALL:
        app_label, codename = name.split(".")
        assert Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).exists(), name
    granted = {name for names in ROLE_PERMISSIONS.values() for name in names}
    assert granted <= permissions.ALL


# (role, the permission it lacks, API method and path, page method and URL name with kwargs)
REFUSALS = [
    (REVIEWER, permissions.AUTHOR_CONSTITUTION, "post", "/api/constitutions/",
     "get", "constitutions:create", {}),
    (REVIEW_LEAD, permissions.RUN_LABELING, "post", "/api/runs/",
     "get", "labeling:run_create", {}),
    (POLICY_EDITOR, permissions.MANAGE_CRITICS, "post", "/api/critics/",
     "get", "labeling:critic_create", {}),
    (RESEARCHER, permissions.LEAD_REVIEWS, "post", "/api/queues/",
     "get", "reviews:adjudication", {}),
    (POLICY_EDITOR, permissions.DRAW_SAMPLE, "post", "/api/samples/",
     "get", "reviews:sample_create", {}),
    (REVIEW_LEAD, permissions.RUN_REDTEAM, "post", "/api/redteam-runs/",
     "post", "redteam:run_start", {"pk": 1}),
    (REVIEW_LEAD, permissions.MANAGE_SUITES, "post", "/api/redteam-suites/import/",
     "post", "redteam:suite_settings", {"pk": 1}),
    (POLICY_EDITOR, permissions.SEE_TRAINING, "get", "/api/snapshots/",
     "get", "training:index", {}),
    (REVIEW_LEAD, permissions.RUN_TRAINING, "post", "/api/training-jobs/",
     "post", "training:job_cancel", {"pk": 1}),
    (REVIEWER, permissions.VIEW_AGREEMENT, "get", "/api/agreement/overview/",
     "get", "dashboards:overview", {}),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "lacking", "api_method", "api_path", "page_method", "page", "kwargs"), REFUSALS
)
def test_a_role_without_the_named_permission_is_refused_on_page_and_api(
    role, lacking, api_method, api_path, page_method, page, kwargs
):
    user = UserFactory(username=f"u-{role}", roles=[role])
    assert not permissions.user_holds(user, lacking)
    api = APIClient()
    api.force_authenticate(user)
    assert getattr(api, api_method)(api_path, {}, format="json").status_code == 403
    client = logged_in(user)
    assert getattr(client, page_method)(reverse(page, kwargs=kwargs)).status_code == 403

    # A user who holds it gets past the check: 200, a 400 for the empty body, or 404 for the
    # missing object, never 403.
    admin = UserFactory(username=f"admin-{role}")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    api.force_authenticate(admin)
    assert getattr(api, api_method)(api_path, {}, format="json").status_code != 403
    page_response = getattr(logged_in(admin), page_method)(reverse(page, kwargs=kwargs))
    assert page_response.status_code != 403


@pytest.mark.django_db
def test_a_signed_out_browser_is_sent_to_the_login_page_and_htmx_gets_401():
    client = logged_in(UserFactory(username="gone"))
    client.logout()
    url = reverse("training:index")
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 401
    assert APIClient().get("/api/snapshots/").status_code in (401, 403)


def test_templates_ask_only_for_named_permissions():
    """`{% if perms.app.codename %}` in a template names a permission of the module (a typo
    would hide a button from everyone, silently)."""
    asked = set()
    for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        asked |= {
            f"{app}.{codename}"
            for app, codename in re.findall(r"\bperms\.(\w+)\.(\w+)", path.read_text())
        }
    assert asked, "the walk found no permission checks in templates"
    assert asked <= permissions.ALL, asked - permissions.ALL


# Pages anyone may open: signing in and out, and the start page (a redirect). The admin has its
# own login, and the API's views are checked by the API base (walked above).
OPEN_PAGES = {"login", "logout", "home"}


@pytest.mark.django_db
def test_every_page_sends_a_signed_out_browser_to_the_login_page():
    """Pages deny by default too: a new page that forgets `permission_required` (or, for pages
    every user may open, `login_required`) fails here."""

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, route, entry.namespace or namespace)
            else:
                yield route, namespace, entry

    client, problems, checked = Client(), [], 0
    for route, namespace, entry in walk(get_resolver().url_patterns, "", None):
        if route.startswith(("api/", "^api/")) or namespace == "admin" or entry.name in OPEN_PAGES:
            continue
        name = f"{namespace}:{entry.name}" if namespace else entry.name
        kwargs = dict.fromkeys(entry.pattern.regex.groupindex, "1")
        url = reverse(name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            checked += 1
            if response.status_code == 405:
                continue
            if not (response.status_code == 302 and "/accounts/login/" in response["Location"]):
                problems.append(f"{method.upper()} {url} ({name}): {response.status_code}")
    assert checked > 80
    assert not problems, "\n".join(problems)


def test_permission_names_are_spelled_only_in_the_permissions_module():
    """Pages, the API and services name permissions through `cai_audit.permissions`; a quoted
    "app.codename" elsewhere in the code is a second place to keep in step."""
    base = Path(settings.BASE_DIR)
    names = "|".join(map(re.escape, permissions.ALL))
    spelled = re.compile(rf"""["']({names})["']""")
    found = []
    for app in OUR_APPS + ("config", "stats"):
        for path in (base / app).rglob("*.py"):
            if path == base / "cai_audit" / "permissions.py" or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if spelled.search(line):
                    found.append(f"{path.relative_to(base)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_the_api_schema_says_what_each_operation_needs(staff_admin):
    api = APIClient()
    api.force_authenticate(staff_admin)
    schema = api.get("/api/schema/", {"format": "json"}).json()
    start_run = schema["paths"]["/api/runs/"]["post"]["description"]
    assert start_run.startswith("Start a run")  # the action's own text stays first
    assert "`labeling.view_labels`, and for this action `labeling.run_labeling`" in start_run
    assert (
        "Needs any logged-in user" in schema["paths"]["/api/constitutions/"]["get"]["description"]
    )
    operations = [
        operation
        for path in schema["paths"].values()
        for method, operation in path.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    # Every operation of the API base says it (the token endpoints are the only others).
    undocumented = [
        operation["operationId"]
        for operation in operations
        if "Needs " not in operation.get("description", "")
    ]
    assert set(undocumented) <= {"auth_token_create", "auth_token_rotate_create", "schema_retrieve"}
