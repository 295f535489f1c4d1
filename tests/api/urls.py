"""The project's URLs plus views that fail on purpose, for the error-answer tests."""

from django.db import OperationalError
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET
from rest_framework.decorators import api_view

from config.urls import urlpatterns as project_urlpatterns


@api_view(["GET"])
def api_crash(request):
    raise RuntimeError("an unhandled bug")


def plain_crash(request):
    raise RuntimeError("an unhandled bug outside DRF")


@require_GET
def plain_get_only(request):
    return HttpResponse("ok")


def busy(request):
    raise OperationalError("database is locked")


urlpatterns = [
    path("api/test-crash/", api_crash),
    path("api/test-plain-crash/", plain_crash),
    path("api/test-get-only/", plain_get_only),
    path("api/test-busy/", busy),
    path("pages/test-busy/", busy),
    *project_urlpatterns,
]
