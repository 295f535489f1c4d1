"""Every page is served under a Content-Security-Policy that forbids inline script, and our
templates keep to it: no inline <script>, no on*= handlers, no hx-on, no style attributes or
<style> blocks. Only the third-party API pages get inline styles, and never inline script."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on*= event handler"),
    (re.compile(r"\shx-on[:-]", re.I), "an hx-on attribute (needs eval)"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"<style[\s>]", re.I), "a <style> block"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]
# Third-party page overrides, which get the relaxed style policy (cai_audit/api_pages.py).
THIRD_PARTY = {"api/redoc.html"}


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


def test_no_template_has_inline_script_handlers_or_styles():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = str(path.relative_to(TEMPLATES))
        text = path.read_text()
        for pattern, what in INLINE:
            if name in THIRD_PARTY and what == "a <style> block":
                continue
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{name}:{line}: {what}")
    assert found == []


@pytest.mark.django_db
def test_pages_forbid_inline_script_and_frame_embedding(editor_client):
    for url in (reverse("constitutions:list"), reverse("login"), "/nowhere/"):
        policy = directives(editor_client.get(url))
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["default-src"] == ["'self'"], url
        assert policy["img-src"] == ["'self'", "data:"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        assert policy["form-action"] == ["'self'"], url


@pytest.mark.django_db
def test_the_api_pages_get_inline_styles_but_never_inline_script(editor_client):
    for url in ("/api/docs/", "/api/redoc/", "/api/"):
        response = editor_client.get(url, headers={"Accept": "text/html"})
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" in policy["style-src"], url
    # Swagger UI's start-up script comes from a URL, not from the page.
    page = editor_client.get("/api/docs/").content.decode()
    assert re.search(r'<script src="[^"]*\?[^"]*script', page)
    assert "<script>" not in page
    # JSON answers are not pages: the strict policy is all they carry.
    assert (
        "'unsafe-inline'" not in editor_client.get("/api/constitutions/")["Content-Security-Policy"]
    )
