"""Without the page cache, a list keeps its rendered body (filters, counts, cards, pagination) until
the content it shows changes, under its address and query string: any change shows at once."""

import pytest
from django.test import Client
from django.urls import reverse

from core.listing import KeptPartsMixin
from practices.models import Status
from tests.factories import (
    PublishedCaseStudyFactory,
    PublishedPracticeFactory,
)
from tests.transfo.test_cache import redis_cache  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

CASES = "/cas/"


def page(client, url=CASES, **params):
    return client.get(url, params).content.decode()


def test_a_list_page_comes_back_from_its_kept_body(client, world, django_assert_num_queries):
    first = client.get(CASES, {"type": "focus"})
    with django_assert_num_queries(1):  # the content versions
        again = client.get(CASES, {"type": "focus"})
    assert again.content == first.content


def test_the_htmx_fragment_and_the_page_share_the_same_body(
    client, world, django_assert_num_queries
):
    whole = page(client)
    with django_assert_num_queries(1):
        fragment = client.get(CASES, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and fragment.strip() in whole
    assert "<html" in page(client)


def test_a_page_asked_after_its_fragment_alone_is_whole(client, world, django_assert_num_queries):
    """The fragment keeps the list's body only: the page then renders its title and breadcrumbs
    too, and keeps them for the next visit."""
    fragment = client.get(CASES, headers={"HX-Request": "true"}).content.decode()
    whole = page(client)
    assert "<title>" in whole and "<html" in whole and fragment.strip() in whole
    with django_assert_num_queries(1):
        assert page(client) == whole


@pytest.mark.parametrize(
    "url",
    [
        "practices:list",
        "trainings:list",
        "practices:piste_list",
        "practices:orientation_list",
        "practices:finding_list",
        "cases:territory_list",
    ],
)
def test_every_list_keeps_its_body(client, world, url, django_assert_num_queries):
    first = client.get(reverse(url))
    with django_assert_num_queries(1):
        assert client.get(reverse(url)).content == first.content


def test_a_saved_change_shows_at_once(client):
    case = PublishedCaseStudyFactory(title="Titre initial")
    assert "Titre initial" in page(client)
    case.title = "Titre corrigé"
    case.save()
    assert "Titre corrigé" in page(client)


def test_publishing_and_unpublishing_show_at_once_in_the_list_and_its_count(client):
    PublishedCaseStudyFactory()
    case = PublishedCaseStudyFactory(title="En relecture", status=Status.DRAFT)
    before = page(client)
    assert "En relecture" not in before and "1\u00a0résultat" in before
    case.status = Status.PUBLISHED
    case.save()
    after = page(client)
    assert "En relecture" in after and "2\u00a0résultats" in after
    case.status = Status.DRAFT
    case.save()
    assert "En relecture" not in page(client)


def test_a_link_added_or_removed_shows_at_once_in_the_cards_and_the_facets(client):
    case = PublishedCaseStudyFactory()
    practice = PublishedPracticeFactory(title="Budget vert")
    assert "Budget vert" not in page(client)
    case.practices.add(practice)
    assert "Budget vert" in page(client)
    case.practices.remove(practice)
    assert "Budget vert" not in page(client)


def test_a_deletion_shows_at_once(client):
    case = PublishedCaseStudyFactory(title="Bientôt supprimé")
    assert "Bientôt supprimé" in page(client)
    case.delete()
    assert "Bientôt supprimé" not in page(client)


def test_a_new_territory_shows_at_once_in_the_territory_list(client):
    url = reverse("cases:territory_list")
    PublishedCaseStudyFactory()
    case = PublishedCaseStudyFactory(status=Status.DRAFT)
    assert case.territory.name not in page(client, url)
    case.status = Status.PUBLISHED
    case.save()
    assert case.territory.name in page(client, url)


def test_an_edit_to_a_training_leaves_the_case_list_kept(client, world, django_assert_num_queries):
    page(client)
    training = world["trainings"][0]
    training.title = "Autre intitulé"
    training.save()
    with django_assert_num_queries(1):
        page(client)


def test_a_body_rendered_before_a_concurrent_edit_is_not_kept_as_the_edited_one(
    client, monkeypatch
):
    """The versions are read before the records: a save landing while the body is rendered
    leaves the old body under the old versions, never under the new ones."""
    case = PublishedCaseStudyFactory(title="Budget vert")
    keep = KeptPartsMixin.keep_parts

    def an_editor_saves_then_keep(view, key, parts):
        case.title = "Budget climat"
        case.save()
        keep(view, key, parts)

    monkeypatch.setattr(KeptPartsMixin, "keep_parts", an_editor_saves_then_keep)
    assert "Budget vert" in page(client)
    monkeypatch.undo()
    after = page(client)
    assert "Budget climat" in after and "Budget vert" not in after


def test_each_query_string_keeps_its_own_links(client, world):
    PublishedCaseStudyFactory.create_batch(20)
    one = client.get(f"{CASES}?tri=titre&page=2").content.decode()
    other = client.get(f"{CASES}?page=2&tri=titre").content.decode()
    assert 'href="?tri=titre&amp;page=1"' in one
    assert 'href="?page=1&amp;tri=titre"' in other


def test_junk_parameters_are_carried_by_the_links_and_nothing_is_kept_for_them(client, world):
    PublishedCaseStudyFactory.create_batch(20)
    for _ in range(2):
        response = client.get(CASES, {"utm_source": "lettre"})
        assert "object_list" in response.context  # rendered afresh, the second time too
        assert "utm_source=lettre" in response.content.decode()
    assert "utm_source" not in page(client)


def test_bad_input_gets_its_french_answer_again_from_the_kept_body(client, world):
    for _ in range(2):
        response = client.get(CASES, {"annee": "deux mille", "type": "inconnu"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "Certains filtres ne sont pas valides" in body
        assert "0\u00a0résultat" in body


def test_a_visitor_with_a_session_neither_gets_nor_leaves_a_kept_body(
    admin_user, world, django_assert_num_queries
):
    staff = Client()
    staff.force_login(admin_user)
    staff.get(CASES)
    visitor = Client()
    first = visitor.get(CASES)
    assert first.context is not None and "object_list" in first.context  # rendered afresh
    staff_again = staff.get(CASES)
    assert "object_list" in staff_again.context  # not served the visitor's kept body
    with django_assert_num_queries(1):
        assert visitor.get(CASES).content == first.content


def test_with_the_page_cache_the_body_is_not_kept_beside_the_page(client, world, settings):
    settings.PAGE_CACHE_SECONDS = 600
    client.get(CASES)
    settings.PAGE_CACHE_SECONDS = 0
    assert "object_list" in client.get(CASES).context  # rendered afresh: no body was kept


@pytest.mark.usefixtures("redis_cache")
def test_with_redis_a_kept_body_costs_no_query_and_a_change_shows_at_once(
    client, settings, django_capture_on_commit_callbacks, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        case = PublishedCaseStudyFactory(title="Titre initial")
    assert "Titre initial" in page(client)
    with django_assert_num_queries(0):  # versions and body both in Redis
        assert "Titre initial" in page(client)
    with django_capture_on_commit_callbacks(execute=True):
        case.title = "Titre corrigé"
        case.save()
    assert "Titre corrigé" in page(client)
