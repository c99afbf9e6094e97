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


def fail_five_times(client, username, address, forwarded=None):
    url = reverse("admin:login")
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    for _ in range(5):
        client.post(url, {"username": username, "password": "mauvais"}, **extra)


def log_in(username, address, forwarded=None):
    from django.test import Client

    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client().post(
        reverse("admin:login"), {"username": username, "password": "password"}, **extra
    )


def test_behind_the_proxy_a_lockout_blocks_the_attackers_address_only(client, admin_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    fail_five_times(client, admin_user.username, proxy, forwarded="203.0.113.9")
    assert log_in(admin_user.username, proxy, forwarded="203.0.113.9").status_code == 429
    # The account's owner, from another address through the same proxy, still logs in.
    assert log_in(admin_user.username, proxy, forwarded="198.51.100.7").status_code == 302


def test_a_forged_forwarded_address_does_not_escape_the_lockout(client, admin_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    # nginx appends the real address after whatever the client sent.
    fail_five_times(client, admin_user.username, proxy, forwarded="1.2.3.4, 203.0.113.9")
    assert log_in(admin_user.username, proxy, forwarded="5.6.7.8, 203.0.113.9").status_code == 429


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client, admin_user):
    fail_five_times(client, admin_user.username, "203.0.113.9", forwarded="1.1.1.1")
    assert log_in(admin_user.username, "203.0.113.9", forwarded="2.2.2.2").status_code == 429
    assert log_in(admin_user.username, "198.51.100.7").status_code == 302


def test_an_operator_unlocks_an_account_as_the_readme_says(client, admin_user):
    from django.core.management import call_command

    fail_five_times(client, admin_user.username, "203.0.113.9")
    assert log_in(admin_user.username, "203.0.113.9").status_code == 429
    call_command("axes_reset_username", admin_user.username)
    assert log_in(admin_user.username, "203.0.113.9").status_code == 302
