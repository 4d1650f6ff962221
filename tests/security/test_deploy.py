"""Deployment security: production settings pass `check --deploy`; every response carries the
security headers; no template holds an inline script or style."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    env = {
        **os.environ,
        "SEMPRE_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "sempre.example.org",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    env.pop("DJANGO_DEBUG", None)
    # Set in this test process once a browser test ran in it (tests/browser/conftest.py), never in
    # a deployment; check --deploy rightly refuses it (async.E001).
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "SEMPRE_ENV": "production", "DJANGO_SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_pages_carry_csp_frame_referrer_and_nosniff_headers(client, social_worker):
    client.force_login(social_worker)
    for url in ("/", "/accounts/login/", "/api/docs/", "/api/v1/projects/"):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp, url
        assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0], url
        assert "frame-ancestors 'none'" in csp, url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Content-Type-Options"] == "nosniff", url


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=\s*[\"']|<style[\s>]", re.IGNORECASE)


def test_templates_hold_no_inline_script_handler_or_style():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if "pdf" in path.parts:  # rendered by WeasyPrint into a file, never served as a page
            continue
        text = path.read_text(encoding="utf-8")
        for pattern, what in (
            (INLINE_SCRIPT, "inline <script>"),
            (INLINE_HANDLER, "on* handler"),
            (INLINE_STYLE, "inline style"),
        ):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert offenders == []


def test_production_cookies_and_hsts_are_secure(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000, "
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_HTTPONLY, s.DEBUG)"
    )
    env = {**os.environ, "SEMPRE_ENV": "production", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    env.pop("DJANGO_DEBUG", None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); "
            f"django.setup(); {code}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "False"], result.stderr
