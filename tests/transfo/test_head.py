"""Monitors, link checkers and crawlers ask HEAD: it answers like GET, without the body."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/", "/recherche/?q=budget", "/manques/", "/robots.txt", "/api/v1/cas/"]
)
def test_head_answers_like_get_without_a_body(client, world, url):
    get = client.get(url)
    head = client.head(url)
    assert (head.status_code, get.status_code) == (200, 200)
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""


def test_a_visitor_cannot_post_to_a_read_only_page(client):
    assert client.post(reverse("home")).status_code == 405
