"""Anonymous pages are cached; staff never get a cached page; any change shows at once."""

import pytest
from django.test import Client
from django.urls import reverse

from practices.models import Status
from tests.factories import PublishedCaseStudyFactory, PublishedPracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


def test_a_second_visit_is_served_from_the_cache(
    client, page_cache, world, django_assert_num_queries
):
    url = reverse("cases:list")
    first = client.get(url)
    with django_assert_num_queries(1):  # the content version only
        second = client.get(url)
    assert second.content == first.content


def test_a_saved_change_shows_to_the_next_visitor(client, page_cache):
    case = PublishedCaseStudyFactory(title="Titre initial")
    assert "Titre initial" in client.get(case.get_absolute_url()).content.decode()
    case.title = "Titre corrigé"
    case.save()
    assert "Titre corrigé" in client.get(case.get_absolute_url()).content.decode()


def test_unpublishing_removes_the_page_at_once(client, page_cache):
    case = PublishedCaseStudyFactory()
    assert client.get(case.get_absolute_url()).status_code == 200
    case.status = Status.DRAFT
    case.save()
    assert client.get(case.get_absolute_url()).status_code == 404


def test_a_link_added_or_removed_shows_at_once(client, page_cache):
    case = PublishedCaseStudyFactory()
    practice = PublishedPracticeFactory(title="Budget vert")
    assert "Budget vert" not in client.get(case.get_absolute_url()).content.decode()
    case.practices.add(practice)
    assert "Budget vert" in client.get(case.get_absolute_url()).content.decode()
    case.practices.remove(practice)
    assert "Budget vert" not in client.get(case.get_absolute_url()).content.decode()


def test_a_deletion_shows_at_once(client, page_cache):
    case = PublishedCaseStudyFactory(title="Bientôt supprimé")
    assert "Bientôt supprimé" in client.get(reverse("cases:list")).content.decode()
    case.delete()
    assert "Bientôt supprimé" not in client.get(reverse("cases:list")).content.decode()


def test_staff_never_get_a_cached_page(page_cache, admin_user):
    case = PublishedCaseStudyFactory()
    Client().get(case.get_absolute_url())  # cached for visitors
    case.status = Status.DRAFT
    case.save(update_fields=["status"])
    staff = Client()
    staff.force_login(admin_user)
    assert "Aperçu réservé" in staff.get(case.get_absolute_url()).content.decode()
