"""Whatever goes wrong, a visitor gets a French page with a way on, never a debug page."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
DEBUG_PAGE_MARKS = ["Traceback", "URLconf", "Resolver404", "Http404", "DEBUG = True", "technical"]


def assert_is_a_french_page_with_a_way_on(html):
    for mark in DEBUG_PAGE_MARKS:
        assert mark not in html
    assert 'role="search"' in html and 'href="/cas/"' in html
    assert "style=" not in html and "<style" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/nexiste/pas/", "/cas/nexiste-pas/", "/pistes/%00/"])
def test_a_404_is_french_and_never_names_the_exception(client, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert_is_a_french_page_with_a_way_on(html)


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["transfo.example"])
def test_a_refused_host_gets_the_french_400_page():
    response = Client(HTTP_HOST="transfo.example").get("/", HTTP_HOST="intrus.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Demande incorrecte" in html and "intrus.example" not in html
    assert_is_a_french_page_with_a_way_on(html)


@pytest.mark.django_db
def test_a_visitor_refused_by_the_admin_gets_the_french_403_page(client, trainer):
    client.force_login(trainer)
    response = client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Accès refusé" in html


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_a_french_page_the_csp_allows():
    response = Client(enforce_csrf_checks=True).post(reverse("admin:login"), {"username": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Le formulaire a expiré" in html and "cookies" in html
    assert_is_a_french_page_with_a_way_on(html)


def make_run_environment():
    """The variables `make run` gives Django, as the Makefile declares them."""
    line = subprocess.run(
        ["make", "-s", "serve-settings"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return dict(item.split("=", 1) for item in line)


def test_make_run_turns_debug_off():
    assert make_run_environment()["DJANGO_DEBUG"] == "False"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_server_of_make_run_never_shows_a_debug_page(tmp_path):
    """gunicorn with `make run`'s settings, on a database that is not even migrated: an unknown
    address gets the French 404, a page whose query fails the French 500."""
    port = free_port()
    environment = {
        **os.environ,
        **make_run_environment(),
        "DJANGO_SECRET_KEY": "a-secret-for-this-test-only-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "DJANGO_PAGE_CACHE_SECONDS": "0",
    }
    environment["DJANGO_STATIC_ROOT"] = str(tmp_path / "static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "transfo.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        answers = {}
        for path in ["/nexiste/pas/", "/cas/"]:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)
                except urllib.error.HTTPError as error:
                    answers[path] = (error.code, error.read().decode())
                    break
                except OSError:
                    time.sleep(0.2)
        assert answers["/nexiste/pas/"][0] == 404
        assert "Page introuvable" in answers["/nexiste/pas/"][1]
        assert answers["/cas/"][0] == 500
        assert "Une erreur est survenue" in answers["/cas/"][1]
        for _, html in answers.values():
            assert_is_a_french_page_with_a_way_on(html)
    finally:
        server.terminate()
        server.wait(timeout=10)
