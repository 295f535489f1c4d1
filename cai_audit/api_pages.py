"""The API's HTML pages (Swagger UI, Redoc, DRF's browsable API) under the Content-Security-Policy.

Our own pages run under the strict policy in settings: no inline script, no inline style. These
third-party pages style themselves with inline <style> elements and attributes (Redoc injects
them at run time), so they alone get `style-src 'unsafe-inline'`. Their scripts stay `'self'`:
Swagger UI's start-up script is served from a URL (drf-spectacular's split view) instead of
inline. The browsable API's renderer is in api_renderers.py.
"""

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from .api_renderers import INLINE_STYLES


@method_decorator(csp_update(INLINE_STYLES), name="get")
class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI, its start-up script loaded from `?script` (same origin)."""


# Redoc also runs its search index in a web worker it builds from a blob: URL.
@method_decorator(csp_update({**INLINE_STYLES, "worker-src": ["'self'", "blob:"]}), name="get")
class RedocView(SpectacularRedocView):
    """Redoc, without the web fonts drf-spectacular links from Google (offline, and off-policy)."""

    template_name = "api/redoc.html"
