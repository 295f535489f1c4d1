"""DRF's browsable API under the Content-Security-Policy (see cai_audit/api_pages.py).

Its own module, importing nothing but DRF's renderers: REST_FRAMEWORK's renderer classes are
imported while rest_framework.views is still loading.
"""

from rest_framework import renderers

# The one relaxation third-party API pages get: their inline styles (never inline script).
INLINE_STYLES = {"style-src": ["'unsafe-inline'"]}


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API, with inline styles allowed on its pages only (its templates use
    <style> and style attributes; its scripts are static files and its CSRF token is JSON)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = INLINE_STYLES  # read by django-csp's middleware
        return super().render(data, accepted_media_type, renderer_context)
