"""The project's own Django apps, lowest layer first, for tests that walk every app's models,
forms, serializers or API routes: those the settings list from cai_audit up to config (config,
the root urls and demo loader, holds none of them; the test-only toy kind is listed after it)."""

from django.conf import settings

_FIRST, _TOP = settings.INSTALLED_APPS.index("cai_audit"), settings.INSTALLED_APPS.index("config")
OUR_APPS = tuple(settings.INSTALLED_APPS[_FIRST:_TOP])
