"""Production settings, security headers, error pages."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "False",
    "DJANGO_SECRET_KEY": "x9$Lq-3vR!pT7wZ@e2Ky#mB8nC4hJ6uF0sD1gA5iO&tV_yXr" * 2,
    "DJANGO_ALLOWED_HOSTS": "transfo.example.org",
    "DJANGO_HTTPS": "1",
}


def test_the_deploy_check_passes_with_the_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_DEBUG="False", DJANGO_SECRET_KEY="", DJANGO_ALLOWED_HOSTS="x")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "url", ["/", "/cas/", "/recherche/?q=ecole", "/api/v1/cas/", "/page-inconnue/"]
)
def test_public_pages_carry_the_security_headers(client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_admin_policy_is_relaxed_only_for_styles(admin_client):
    csp = admin_client.get(reverse("admin:index"))["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in csp
    assert "script-src 'self';" in csp or csp.endswith("script-src 'self'")


def test_public_templates_hold_no_inline_script(client, world):
    for url in ["/", "/cas/", world["cases"][0].get_absolute_url()]:
        html = client.get(url).content.decode()
        assert "<script>" not in html
        assert " onclick=" not in html and " style=" not in html


def test_a_server_error_gives_the_french_page(settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    from django.test.utils import override_settings

    from transfo import urls

    def boom(request):
        raise RuntimeError("panne simulée")

    from django.urls import path

    with override_settings(
        ROOT_URLCONF=type("U", (), {"urlpatterns": [path("boom/", boom), *urls.urlpatterns]})
    ):
        response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Une erreur est survenue" in html and 'name="q"' in html


def test_the_404_page_has_the_layout_and_a_search_box(client):
    response = client.get("/nexiste/pas/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'id="recherche-erreur"' in html and "Transfo" in html
