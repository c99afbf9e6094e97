"""Anonymous pages are cached; staff never get a cached page; any change shows at once."""

import pytest
from django.conf import settings as django_settings
from django.db import close_old_connections, connection, connections
from django.test import Client
from django.urls import reverse, set_script_prefix

from practices.models import Status
from tests.factories import (
    PublishedCaseStudyFactory,
    PublishedPracticeFactory,
    PublishedTrainingFactory,
)

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


def test_junk_parameters_share_one_cached_page(
    client, page_cache, world, django_assert_num_queries
):
    url = world["cases"][0].get_absolute_url()
    first = client.get(url)
    for n in range(20):
        with django_assert_num_queries(1):  # the content versions only
            response = client.get(url, {f"junk{n}": "x" * 100, "utm_source": n})
        assert response.content == first.content


def test_a_list_is_cached_under_its_filters_in_any_order(
    client, page_cache, world, django_assert_num_queries
):
    url = reverse("cases:list")
    client.get(url, {"type": "focus", "theme": world["themes"][0].slug})
    with django_assert_num_queries(1):
        client.get(f"{url}?theme={world['themes'][0].slug}&type=focus&junk=1")


def test_a_boosted_request_gets_the_whole_page(client, page_cache, world):
    url = reverse("cases:list")
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    boosted = client.get(url, headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.content.decode()


def test_an_edit_to_a_training_leaves_the_case_list_cached(
    client, page_cache, world, django_assert_num_queries
):
    url = reverse("cases:list")
    client.get(url)
    training = world["trainings"][0]
    training.title = "Autre intitulé"
    training.save()
    with django_assert_num_queries(1):
        client.get(url)
    case = world["cases"][0]
    case.title = "Titre revu"
    case.save()
    assert "Titre revu" in client.get(url).content.decode()


@pytest.fixture
def redis_cache(settings):
    """The shared cache of a multi-server deployment (CI starts a redis-server)."""
    import os

    import redis

    url = os.environ.get("TRANSFO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"CI runs these tests against Redis, and none answers on {url}")
        pytest.skip(f"no Redis server on {url}")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    settings.CONTENT_VERSIONS_IN_CACHE = True
    settings.PAGE_CACHE_SECONDS = 600
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_with_redis_a_change_shows_to_the_next_visitor(
    client, redis_cache, django_capture_on_commit_callbacks, django_assert_num_queries
):
    case = PublishedCaseStudyFactory(title="Titre initial")
    assert "Titre initial" in client.get(case.get_absolute_url()).content.decode()
    with django_assert_num_queries(0):  # versions and page both in Redis
        client.get(case.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        case.title = "Titre corrigé"
        case.save()
    assert "Titre corrigé" in client.get(case.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        case.status = Status.DRAFT
        case.save()
    assert client.get(case.get_absolute_url()).status_code == 404


def test_a_filtered_api_list_is_served_from_the_cache(
    client, page_cache, world, django_assert_num_queries
):
    url = "/api/v1/cas/"
    first = client.get(url, {"region": world["cases"][0].territory.region})
    with django_assert_num_queries(1):  # the content versions only
        again = client.get(
            url, {"region": world["cases"][0].territory.region, "utm_source": "lettre"}
        )
    assert again.content == first.content


def test_a_card_is_rendered_once_per_content(client):
    """Without the page cache, a list reuses its cards until a record changes, and only until
    then (a write that bypasses the models' signals is not seen: every editor's write sends them)."""
    case = PublishedCaseStudyFactory(summary="Résumé d'origine.")
    assert "Résumé d&#x27;origine." in client.get(reverse("cases:list")).content.decode()
    type(case).objects.filter(pk=case.pk).update(summary="Résumé modifié sans signal.")
    assert "Résumé d&#x27;origine." in client.get(reverse("cases:list")).content.decode()
    case.refresh_from_db()
    case.save()
    assert "Résumé modifié sans signal." in client.get(reverse("cases:list")).content.decode()


def test_a_renamed_practice_shows_at_once_in_the_cards_of_its_cases(client):
    practice = PublishedPracticeFactory(title="Budget vert")
    case = PublishedCaseStudyFactory(practices=[practice])
    pages = [reverse("cases:list"), case.territory.get_absolute_url()]
    for url in pages:
        assert "Budget vert" in client.get(url).content.decode()
    practice.title = "Budget climat"
    practice.save()
    for url in pages:
        page = client.get(url).content.decode()
        assert "Budget climat" in page and "Budget vert" not in page


def test_a_published_case_shows_at_once_in_the_counts_of_the_practice_list(client, page_cache):
    practice = PublishedPracticeFactory(title="Budget vert")
    PublishedCaseStudyFactory(practices=[practice])

    def card():
        page = client.get(reverse("practices:list")).content.decode()
        return page[page.index("Budget vert") :][:600]

    assert "1\u00a0cas" in card()
    PublishedCaseStudyFactory(practices=[practice])
    assert "2\u00a0cas" in card()


def test_a_card_read_before_a_concurrent_edit_is_not_kept_as_the_edited_one(client, monkeypatch):
    """A detail page reads its record (and the cards' records) before rendering the cards. An
    editor's save landing in between must not leave the old card kept under the new content."""
    from practices.views import PracticeDetailView

    practice = PublishedPracticeFactory()
    case = PublishedCaseStudyFactory(title="Budget vert", practices=[practice])
    read_record = PracticeDetailView.get_object

    def read_record_then_an_editor_saves(view, queryset=None):
        record = read_record(view, queryset)
        case.title = "Budget climat"
        case.save()
        return record

    monkeypatch.setattr(PracticeDetailView, "get_object", read_record_then_an_editor_saves)
    client.get(practice.get_absolute_url())
    monkeypatch.undo()
    for url in [practice.get_absolute_url(), reverse("cases:list")]:
        page = client.get(url).content.decode()
        assert "Budget climat" in page and "Budget vert" not in page


@pytest.mark.parametrize("cached_pages", [False, True], ids=["fragments only", "page cache"])
def test_a_new_synonym_shows_at_once_in_a_searched_list(client, settings, cached_pages):
    from core.models import Synonym

    settings.PAGE_CACHE_SECONDS = 600 if cached_pages else 0
    PublishedCaseStudyFactory(title="Un parangonnage des accueils")
    url = reverse("cases:list") + "?q=benchmark"
    assert "Un parangonnage des accueils" not in client.get(url).content.decode()
    Synonym.objects.create(terms="benchmark, parangonnage")
    page = client.get(url).content.decode()
    assert "Un parangonnage des accueils" in page
    assert "1\u00a0résultat" in page


@pytest.mark.parametrize("cached_pages", [False, True], ids=["fragments only", "page cache"])
def test_a_searched_list_follows_the_words_every_record_brings_to_the_index(
    client, settings, cached_pages
):
    """A mistyped word is corrected from the words of every kind of record: a training that
    brings the word as typed changes what the case list finds."""
    settings.PAGE_CACHE_SECONDS = 600 if cached_pages else 0
    case = PublishedCaseStudyFactory(title="Un parangonnage des accueils")
    url = reverse("cases:list") + "?q=parangonage"
    assert "Un parangonnage des accueils" in client.get(url).content.decode()
    PublishedTrainingFactory(title="Parangonage express", source=case.source)
    page = client.get(url).content.decode()
    assert "Un parangonnage des accueils" not in page
    assert "1\u00a0résultat" not in page


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="CONN_HEALTH_CHECKS is set for PostgreSQL only"
)


def reused_connection():
    """The state a server process is in at the start of a request on a kept connection."""
    connection.ensure_connection()
    close_old_connections()
    return connection


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_cached_page_costs_one_round_trip_to_the_database(page_cache, monkeypatch):
    client = Client()
    url = reverse("cases:list")
    client.get(url)
    connection = reused_connection()
    checks = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or True)
    assert client.get(url).status_code == 200
    assert checks == []  # the versions' read served as Django's health check


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_dropped_is_opened_again_without_an_error(page_cache):
    client = Client()
    url = reverse("cases:list")
    client.get(url)
    connection = reused_connection()
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    assert client.get(url).status_code == 200
    assert connection.connection.info.backend_pid != pid


@pytest.mark.parametrize("side", ["case", "piste"])
def test_a_link_made_from_either_side_changes_the_version_of_both(side):
    """A list kept under the versions of the models it shows (`shows`) must change when a link
    it shows does, from whichever side it was made."""
    from core.cache import read_versions
    from tests.factories import PublishedPisteFactory

    case, piste = PublishedCaseStudyFactory(), PublishedPisteFactory()
    before = read_versions()
    if side == "case":
        case.pistes.add(piste)
    else:
        piste.inspirations.add(case)
    after = read_versions()
    for model in ("cases.casestudy", "practices.piste"):
        assert after[model] == before[model] + 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_first_changes_of_a_model_committed_at_once_are_both_counted():
    """The first change of a model creates the row of its version. When two writers make one at
    once, the second waits for the first's row: its own change must still count, or a page kept
    between the two commits would stay kept after the second."""
    import threading
    import time

    from django.db import transaction

    from core.cache import bump, read_versions

    first_counted, commit_first = threading.Event(), threading.Event()

    def first():
        try:
            with transaction.atomic():
                bump("cases.territory")
                first_counted.set()
                commit_first.wait(5)
        finally:
            connection.close()

    def second():
        first_counted.wait(5)
        try:
            with transaction.atomic():
                bump("cases.territory")
        finally:
            connection.close()

    writers = [threading.Thread(target=first), threading.Thread(target=second)]
    for writer in writers:
        writer.start()
    deadline = time.monotonic() + 5
    with connection.cursor() as cursor:
        waiting = 0
        while not waiting and time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            waiting = cursor.fetchone()[0]
    assert waiting == 1  # the second writer waits for the first's row
    commit_first.set()
    for writer in writers:
        writer.join(5)
    assert read_versions()["cases.territory"] == 2


def card_of(html, record):
    url = record.get_absolute_url()
    return next(card for card in html.split("<article")[1:] if f'<a href="{url}">' in card)


@pytest.mark.parametrize("params", [{}, {"q": "cas"}], ids=["list", "searched list"])
def test_a_card_rendered_beside_kept_cards_still_shows_the_case_s_practices(client, world, params):
    """A list's records are read without their links; the cards left to render get theirs."""
    home = client.get(reverse("home")).content.decode()  # keeps the studied cases' cards
    page = client.get(reverse("cases:list"), params).content.decode()
    studied = [case for case in world["cases"] if case.kind == "cas-etudie"]
    assert len(studied) == 2 and all(card_of(home, case) for case in studied)
    for case in world["cases"]:
        card = card_of(page, case)
        for practice in world["practices"]:
            assert f'<a href="{practice.get_absolute_url()}">{practice.title}</a>' in card


def test_cards_rendered_under_another_address_prefix_are_not_served_to_everyone(client, world):
    """gunicorn takes SCRIPT_NAME from a request header (through a trusted proxy): one request
    under a made-up prefix must not leave cards whose links carry it for every visitor."""
    assert django_settings.STATIC_URL == "/static/"  # read at the root, as in every other test
    try:
        # What Django's WSGI handler does with SCRIPT_NAME (the test client does not).
        set_script_prefix("/piege")
        trapped = client.get("/cas/", SCRIPT_NAME="/piege").content.decode()
    finally:
        set_script_prefix("/")
    case = world["cases"][0]
    assert f'<a href="/piege/cas/{case.slug}/">' in trapped
    page = client.get(reverse("cases:list")).content.decode()
    assert f'<a href="/cas/{case.slug}/">' in page
    assert "/piege/" not in page


def test_a_record_page_keeps_its_body_until_the_content_changes(client, django_assert_num_queries):
    """Without the page cache, a record's page reads its links once per content."""
    practice = PublishedPracticeFactory(title="Budget vert")
    case = PublishedCaseStudyFactory(title="Maison des projets", practices=[practice])
    first = client.get(case.get_absolute_url()).content
    with django_assert_num_queries(1):  # the content versions: they say the case is unchanged
        assert client.get(case.get_absolute_url()).content == first
    practice.title = "Budget climat"
    practice.save()
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Budget climat" in page and "Budget vert" not in page
    case.title = "Maison du projet"
    case.save()
    assert "Maison du projet" in client.get(case.get_absolute_url()).content.decode()


@pytest.mark.parametrize("change", ["unpublish", "unpublish its source", "delete"])
def test_a_record_page_kept_for_the_public_is_gone_at_once_when_its_record_is(client, change):
    """The kept page is shown without reading the record: the content versions must say when
    the record stops being public."""
    case = PublishedCaseStudyFactory(title="Maison des projets")
    url = case.get_absolute_url()
    client.get(url)
    assert "Maison des projets" in client.get(url).content.decode()
    if change == "unpublish":
        case.status = Status.DRAFT
        case.save()
    elif change == "unpublish its source":
        case.source.status = Status.DRAFT
        case.source.save()
    else:
        case.delete()
    assert client.get(url).status_code == 404


def test_a_record_page_of_an_unknown_address_is_not_found_every_time(client):
    case = PublishedCaseStudyFactory()
    client.get(case.get_absolute_url())
    for _ in range(2):
        assert client.get(case.get_absolute_url() + "x/").status_code == 404
        assert client.get(f"/cas/{case.slug}-x/").status_code == 404


def test_a_record_page_kept_for_one_address_cites_its_own_elsewhere(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "transfo.example.fr"]
    case = PublishedCaseStudyFactory()
    client.get(case.get_absolute_url())
    page = client.get(case.get_absolute_url(), HTTP_HOST="transfo.example.fr").content.decode()
    assert f"http://transfo.example.fr{case.get_absolute_url()}" in page
    assert "testserver" not in page


def test_a_staff_preview_of_a_draft_is_never_shown_to_the_public(client, admin_user):
    case = PublishedCaseStudyFactory(status=Status.DRAFT, title="Brouillon en relecture")
    staff = Client()
    staff.force_login(admin_user)
    for _ in range(2):  # rendered, then around its kept parts: the notice each time
        page = staff.get(case.get_absolute_url()).content.decode()
        assert "Brouillon en relecture" in page and "Aperçu réservé à l’équipe" in page
    assert client.get(case.get_absolute_url()).status_code == 404


def test_a_record_page_kept_by_a_release_that_showed_other_parts_is_rendered_anew(
    client, admin_user, monkeypatch
):
    """A cache shared between servers keeps a record's parts across a deployment that changes
    templates but no static file: a part the new templates show and the old ones did not is
    rendered, not a server error."""
    from django.core.cache import cache

    from core import listing

    class PreviousRelease:
        """Keeps parts as templates without the page's meta-data part did."""

        get = staticmethod(cache.get)

        @staticmethod
        def set(key, parts, timeout):
            cache.set(key, {name: part for name, part in parts.items() if name != "meta"}, timeout)

    case = PublishedCaseStudyFactory(title="Maison des projets")
    staff = Client()
    staff.force_login(admin_user)
    with monkeypatch.context() as patch:
        patch.setattr(listing, "cache", PreviousRelease())
        client.get(case.get_absolute_url())
        staff.get(case.get_absolute_url())
    for visitor in (client, staff):
        for _ in range(2):  # rendered anew, then around the parts kept by this release
            page = visitor.get(case.get_absolute_url())
            assert page.status_code == 200
            assert (
                '<meta property="og:title" content="Maison des projets">' in page.content.decode()
            )


def test_a_card_whose_record_is_deleted_after_the_page_was_read_is_left_out(rf):
    """A list reads its page's ids first, then the records of the cards to render."""
    from cases.models import CaseStudy
    from core.cache import content_fragments, stamp_fields

    gone, kept = (
        PublishedCaseStudyFactory(title="Supprimé"),
        PublishedCaseStudyFactory(title="Resté"),
    )
    page = list(
        CaseStudy.objects.filter(pk__in=[gone.pk, kept.pk])
        .order_by("title")
        .only(*stamp_fields(CaseStudy))
    )
    CaseStudy.objects.filter(pk=gone.pk).delete()
    assert content_fragments(rf.get("/cas/"), "test", page, lambda case: case.title) == ["Resté"]


def test_saving_a_case_renders_again_its_own_card_only(rf):
    """Editors save a record a second: each save re-rendered every card of every list and
    record page; the other cases' cards are kept, and the saved one shows its change."""
    from cases.models import CaseStudy
    from core.cache import content_fragments

    edited = PublishedCaseStudyFactory(title="Budget vert")
    other = PublishedCaseStudyFactory(title="Atelier citoyen")
    rendered = []

    def render(case):
        rendered.append(case.title)
        return case.title

    def cards():
        page = CaseStudy.objects.filter(pk__in=[edited.pk, other.pk]).order_by("title")
        # What a list reads of its page (`core.cache.stamp_fields`).
        return content_fragments(rf.get("/cas/"), "test", page.only("pk", "version"), render)

    assert cards() == ["Atelier citoyen", "Budget vert"]
    edited.title = "Budget climat"
    edited.save()
    rendered.clear()

    assert cards() == ["Atelier citoyen", "Budget climat"]
    assert rendered == ["Budget climat"]


def test_a_card_kept_shows_at_once_a_link_made_from_the_other_side_or_through_the_inline(
    client,
):
    """A card is kept by its record's own version, which a link does not raise: the link
    moves the version of the other side (a theme, the case-practice links)."""
    from cases.models import CasePractice
    from tests.factories import ThemeFactory

    practice = PublishedPracticeFactory(title="Budget vert")
    case = PublishedCaseStudyFactory(title="Atelier citoyen")
    theme = ThemeFactory(name="Participation citoyenne")
    assert "Participation citoyenne" not in client.get(reverse("practices:list")).content.decode()
    assert "Budget vert" not in client.get(reverse("cases:list")).content.decode()

    practice.themes.add(theme)
    CasePractice.objects.create(casestudy=case, practice=practice, reason="p. 12")

    assert "Participation citoyenne" in client.get(reverse("practices:list")).content.decode()
    assert "Budget vert" in client.get(reverse("cases:list")).content.decode()
    CasePractice.objects.filter(casestudy=case).delete()
    assert "Budget vert" not in client.get(reverse("cases:list")).content.decode()


def test_saving_a_case_builds_again_its_own_api_record_only(client, monkeypatch):
    from django.core.cache import caches

    edited = PublishedCaseStudyFactory(title="Budget vert")
    PublishedCaseStudyFactory(title="Atelier citoyen")
    built = []
    backend = caches["default"]
    set_many = backend.set_many

    def counting_set_many(values, *args, **kwargs):
        built.extend(values)
        return set_many(values, *args, **kwargs)

    monkeypatch.setattr(backend, "set_many", counting_set_many)
    client.get("/api/v1/cas/")
    assert len(built) == 2
    edited.title = "Budget climat"
    edited.save()
    built.clear()

    titles = [item["title"] for item in client.get("/api/v1/cas/").json()["items"]]

    assert sorted(titles) == ["Atelier citoyen", "Budget climat"]
    assert len(built) == 1


def test_the_home_page_shows_a_new_case_at_once_in_its_figures_and_featured_cases(client):
    from cases.models import CaseStudy

    PublishedCaseStudyFactory(kind=CaseStudy.Kind.STUDIED, title="Maison des projets")
    first = client.get(reverse("home")).content.decode()
    assert "Maison des projets" in first and '<span class="stat-number">1</span>' in first
    PublishedCaseStudyFactory(kind=CaseStudy.Kind.STUDIED, title="Atelier citoyen")
    again = client.get(reverse("home")).content.decode()
    assert "Atelier citoyen" in again and '<span class="stat-number">2</span>' in again


def test_pages_and_fragments_kept_by_another_release_are_not_served(
    client, page_cache, world, monkeypatch, django_assert_num_queries
):
    """In a cache shared between servers, a deployment must not serve pages linking to the
    previous release's static files (their names carry the manifest's hash)."""
    from core import cache as page_caching

    url = world["cases"][0].get_absolute_url()
    client.get(url)
    with django_assert_num_queries(1):  # the content versions: the kept page
        client.get(url)
    monkeypatch.setattr(page_caching, "release", lambda: "une autre version")
    with django_assert_num_queries(8):  # the page rendered again, its body too
        client.get(url)


def test_pages_kept_by_a_release_of_another_name_are_not_served(
    client, page_cache, world, settings, django_assert_num_queries
):
    """A deployment that changes templates or code but no static file names itself
    (`DJANGO_RELEASE`): what the previous one kept is not served."""
    from core.cache import release

    url = world["cases"][0].get_absolute_url()
    client.get(url)
    settings.RELEASE = "2026-12-01"
    release.cache_clear()  # read once per process: a deployment starts new processes
    try:
        with django_assert_num_queries(8):  # the page rendered again, its parts too
            client.get(url)
    finally:
        release.cache_clear()


def test_a_page_kept_yesterday_is_not_served_today(
    client, page_cache, world, monkeypatch, django_assert_num_queries
):
    """A record's citation gives the day it is read (« consulté le … »)."""
    import datetime

    from core import cache as page_caching
    from core import listing

    url = world["cases"][0].get_absolute_url()
    client.get(url)
    with django_assert_num_queries(1):  # the content versions: the kept page
        client.get(url)
    tomorrow = page_caching.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(page_caching, "localdate", lambda: tomorrow)
    monkeypatch.setattr(listing, "localdate", lambda: tomorrow)
    with django_assert_num_queries(8):  # the page rendered again, its citation with today's date
        client.get(url)
