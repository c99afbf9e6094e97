"""The admin login locks out after repeated failures, with a clear French message."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_login_locks_out_after_five_failures(client, admin_user):
    url = reverse("admin:login")
    for _ in range(5):
        response = client.post(url, {"username": admin_user.username, "password": "mauvais"})
    response = client.post(url, {"username": admin_user.username, "password": "password"})
    assert response.status_code == 429
    assert "Compte temporairement bloqué" in response.content.decode()


def test_a_good_password_before_the_limit_logs_in(client, admin_user):
    url = reverse("admin:login")
    client.post(url, {"username": admin_user.username, "password": "mauvais"})
    response = client.post(url, {"username": admin_user.username, "password": "password"})
    assert response.status_code == 302


def test_the_admin_forms_require_csrf(admin_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post(reverse("admin:practices_practice_add"), {"title": "x"})
    assert response.status_code == 403
