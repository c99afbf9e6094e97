"""One search over every record type; "ecole", "école", "Ecole" and "ÉCOLE" find the same things."""

from collections import OrderedDict

import pytest
from django.conf import settings
from django.db.models.signals import post_init
from django.urls import reverse, set_script_prefix

from cases.models import CaseStudy
from core.models import Synonym
from practices.models import Practice
from tests.factories import (
    CaseStudyFactory,
    PublishedCaseStudyFactory,
    PublishedFindingFactory,
    PublishedOrientationFactory,
    PublishedPisteFactory,
    PublishedPracticeFactory,
    PublishedTrainingFactory,
    SourceFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db

SPELLINGS = ["ecole", "école", "Ecole", "ÉCOLE"]


@pytest.fixture
def schools():
    return {
        "case": PublishedCaseStudyFactory(title="Une école ouverte sur le quartier"),
        "practice": PublishedPracticeFactory(title="Écoles et participation des parents"),
        "training": PublishedTrainingFactory(title="Piloter les ATSEM des écoles"),
        "other": PublishedCaseStudyFactory(title="Budget vert à Lille"),
    }


@pytest.mark.parametrize("model", [CaseStudy, Practice])
def test_every_spelling_finds_the_same_records(schools, model):
    found = [set(model.objects.search(spelling)) for spelling in SPELLINGS]
    assert found[0], "the search should find something"
    assert all(result == found[0] for result in found)


def test_the_search_page_groups_results_by_type(client, schools):
    pages = [client.get(reverse("search"), {"q": spelling}) for spelling in SPELLINGS]
    groups = [
        {group["key"]: [r.pk for r in group["results"]] for group in page.context["groups"]}
        for page in pages
    ]
    assert groups[0]["cases"] == [schools["case"].pk]
    assert groups[0]["practices"] == [schools["practice"].pk]
    assert groups[0]["trainings"] == [schools["training"].pk]
    assert all(group == groups[0] for group in groups)


def test_pessac_finds_pessac(client):
    case = PublishedCaseStudyFactory(
        title="Repenser l'accueil téléphonique", territory=TerritoryFactory(name="Pessac")
    )
    response = client.get(reverse("search"), {"q": "pessac"})
    assert [r.pk for r in response.context["groups"][0]["results"]] == [case.pk]


def test_the_search_page_hides_drafts(client):
    CaseStudyFactory(title="École brouillon")
    response = client.get(reverse("search"), {"q": "ecole"})
    assert response.context["total"] == 0
    assert "Aucun résultat" in response.content.decode()


def test_the_best_match_comes_first(schools):
    title_match = PublishedCaseStudyFactory(title="École du numérique", summary="")
    body_match = PublishedCaseStudyFactory(title="Un tiers-lieu", summary="Ouvert près de l'école.")
    ranked = list(CaseStudy.objects.published().search("école").by_relevance("école"))
    assert ranked.index(title_match) < ranked.index(body_match)


def test_the_case_list_searches_too(client, schools):
    response = client.get(reverse("cases:list"), {"q": "ECOLE"})
    assert [case.pk for case in response.context["object_list"]] == [schools["case"].pk]


def test_a_typo_still_finds_the_place():
    malaunay = PublishedCaseStudyFactory(
        title="Une ville en transition(s)", territory=TerritoryFactory(name="Malaunay")
    )
    PublishedCaseStudyFactory(title="Autre chose", territory=TerritoryFactory(name="Lille"))
    assert list(CaseStudy.objects.published().search("Malaunai")) == [malaunay]


def test_french_stemming_matches_plurals():
    case = PublishedCaseStudyFactory(title="Les budgets participatifs des communes")
    assert list(CaseStudy.objects.published().search("budget participatif")) == [case]


def test_a_word_of_every_kind_reads_each_kind_once_and_shows_it_all(
    client, django_assert_num_queries
):
    source = SourceFactory(short_title="Budget des villes", description="Le budget.")
    territory = TerritoryFactory(name="Budget-sur-Mer", region="Bretagne")
    PublishedCaseStudyFactory(
        title="Un budget", summary="Le budget du quartier.", territory=territory, source=source
    )
    PublishedPracticeFactory(title="Budget vert", summary="Un budget.", source=source)
    PublishedTrainingFactory(title="Le budget", objectives="Lire un budget.", source=source)
    orientation = PublishedOrientationFactory(title="Budget", summary="Le budget.", source=source)
    PublishedPisteFactory(title="Un budget", lever="Le budget.", orientation=orientation)
    PublishedFindingFactory(title="Budget", summary="Un budget.", source=source)

    # The content versions (what the vocabulary said of the words is kept under them); the
    # query compiled; the 8 kinds ranked; the cases' other matches (one title match does not
    # fill their page); the records of every kind, only the fields shown, in one query.
    with django_assert_num_queries(5):
        page = client.get(reverse("search"), {"q": "budget"})

    html = page.content.decode()
    assert all(group["total"] == 1 for group in page.context["groups"])
    shown = [
        "<mark>Budget</mark>-sur-Mer",
        "Gironde",
        f"{orientation.number}. <mark>Budget</mark>",
        "<mark>Budget</mark> des villes",
        "Lire un <mark>budget</mark>",
        "(Budget-sur-Mer)",
    ]
    for text in shown:
        assert text in html
    assert html.count("<mark>") == 15  # every title, and the excerpts that hold the word
    # Each result links to its record's page.
    for group in page.context["groups"]:
        assert f'<a href="{group["results"][0].get_absolute_url()}">' in html


def test_a_result_shows_its_title_and_place_escaped(client):
    PublishedCaseStudyFactory(
        title="Budget <b>vert</b> & sobre", territory=TerritoryFactory(name="Saint-Jean <i>&</i>")
    )
    html = client.get(reverse("search"), {"q": "budget"}).content.decode()
    assert "<mark>Budget</mark> &lt;b&gt;vert&lt;/b&gt; &amp; sobre</a>" in html
    assert "(Saint-Jean &lt;i&gt;&amp;&lt;/i&gt;)</span>" in html


@pytest.fixture
def restore_script_prefix():
    # Django keeps STATIC_URL with the prefix it had when first read: read at the root.
    set_script_prefix("/")
    assert settings.STATIC_URL == "/static/"
    yield
    set_script_prefix("/")


def test_under_a_sub_path_every_link_of_the_search_page_carries_it(client, restore_script_prefix):
    # More cases than the page shows: « Voir tous » leads to the case list.
    slugs = [case.slug for case in PublishedCaseStudyFactory.create_batch(11, title="Un budget")]
    for prefix in ("/transfo/", "/"):
        # As Django's WSGI handler sets it from SCRIPT_NAME (the test client leaves it alone).
        set_script_prefix(prefix)
        page = client.get("/recherche/", {"q": "budget"}, SCRIPT_NAME=prefix.rstrip("/"))
        html = page.content.decode()
        assert f'action="{prefix}recherche/"' in html
        assert sum(f'href="{prefix}cas/{slug}/"' in html for slug in slugs) == 10
        assert f'href="{prefix}cas/?q=budget"' in html


def test_a_search_of_words_met_before_does_not_read_the_vocabulary_again(
    client, django_assert_num_queries
):
    PublishedCaseStudyFactory(title="Un budget participatif", summary="Le budget.")
    client.get(reverse("search"), {"q": "participatif budget"})
    # The content versions; the 8 kinds ranked; the cases' other matches (the record shown is
    # the one the first search read and kept).
    with django_assert_num_queries(3):
        page = client.get(reverse("search"), {"q": "budget participatif"})
    assert page.context["total"] == 1
    # A typo corrected once is corrected again without reading the vocabulary.
    client.get(reverse("search"), {"q": "budjet"})
    with django_assert_num_queries(3):
        page = client.get(reverse("search"), {"q": "budjet"})
    assert page.context["suggestion"] == "budget"


def test_what_the_vocabulary_said_of_a_word_is_forgotten_at_the_first_change(client):
    def found(query):
        return client.get(reverse("search"), {"q": query}).context["total"]

    assert found("parangonnage") == 0
    case = PublishedCaseStudyFactory(title="Un parangonnage des villes")
    assert found("parangonnage") == 1
    assert found("benchmark") == 0
    Synonym.objects.create(terms="benchmark, parangonnage")
    assert found("benchmark") == 1
    case.delete()
    assert found("parangonnage") == 0


def test_a_result_is_the_record_read_with_only_the_fields_it_shows(client):
    case = PublishedCaseStudyFactory(title="Un budget", method="Un budget voté.")
    record = client.get(reverse("search"), {"q": "budget"}).context["groups"][0]["results"][0]
    assert record == case and not record._state.adding
    assert record.title == "Un budget"
    assert "source" not in vars(record) and "source_id" in record.get_deferred_fields()
    # A field not read is read when asked for, as Django's deferred fields are.
    assert record.source_id == case.source_id


def test_a_record_signal_still_sees_every_result(client):
    case = PublishedCaseStudyFactory(title="Un budget", results="Des résultats", actors="Des élus")
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(receiver, sender=CaseStudy)
    try:
        page = client.get(reverse("search"), {"q": "budget"})
    finally:
        post_init.disconnect(receiver, sender=CaseStudy)
    assert case.pk in seen
    record = page.context["groups"][0]["results"][0]
    assert (record.results, record.actors) == ("Des résultats", "Des élus")


def test_each_field_of_a_result_holds_its_own_text(client):
    # The fields a result reads are not in the model's order: each is set by its name.
    training = PublishedTrainingFactory(
        title="Le budget", objectives="Lire un budget.", audience="Les élus"
    )
    SourceFactory(
        short_title="Rapport budget",
        description="Ce que dit le rapport.",
        authors="Des auteurs",
        publisher="Un éditeur",
    )
    page = client.get(reverse("search"), {"q": "budget"})
    groups = {group["key"]: group for group in page.context["groups"]}
    record = groups["trainings"]["results"][0]
    assert (record.objectives, record.audience) == (training.objectives, training.audience)
    # No field of the report holds the word: its excerpt is the start of its first field.
    assert "Ce que dit le rapport." in groups["sources"]["results_html"]


@pytest.mark.parametrize("query", ["", "   ", "«»", "- …"])
def test_a_search_without_a_word_reads_nothing(client, django_assert_num_queries, query):
    with django_assert_num_queries(0):
        page = client.get(reverse("search"), {"q": query})
    assert "Ou parcourez" in page.content.decode()


def test_a_result_is_built_as_django_builds_a_record_read_from_the_database(client):
    case = PublishedCaseStudyFactory(title="Un budget", method="Un budget voté.")
    practice = PublishedPracticeFactory(title="Le budget", summary="Un budget.")
    groups = client.get(reverse("search"), {"q": "budget"}).context["groups"]
    shown = {group["key"]: group["results"][0] for group in groups if group["results"]}

    for record, stored in [(shown["cases"], case), (shown["practices"], practice)]:
        assert type(record) is type(stored) and record == stored and str(record) == str(stored)
        assert (record._state.adding, record._state.db) == (False, "default")
        assert record.get_absolute_url() == stored.get_absolute_url()
        # Every field not read is deferred, as `from_db` leaves it, and read when asked for.
        read = set(vars(record)) - {"_state"}
        fields = {f.attname for f in type(stored)._meta.concrete_fields}
        assert record.get_deferred_fields() == fields - read
        assert record.version == stored.version


def test_a_result_shown_again_is_neither_read_nor_built_again(client, django_assert_num_queries):
    PublishedCaseStudyFactory(title="Un budget", method="Un budget voté.")
    PublishedPracticeFactory(title="Le budget", summary="Un budget.")
    first = client.get(reverse("search"), {"q": "budget"})

    # Content versions, the ranking (with the visibility and date of each record; the cases'
    # other matches, their titles not filling the page): no read of the records shown.
    with django_assert_num_queries(3):
        again = client.get(reverse("search"), {"q": "budget"})

    assert again.content == first.content
    assert [g["results"] for g in again.context["groups"]] == [
        g["results"] for g in first.context["groups"]
    ]


def test_a_result_kept_shows_every_change_on_the_next_search(client):
    territory = TerritoryFactory(name="Mérignac")
    case = PublishedCaseStudyFactory(
        title="Un budget", method="Un budget voté.", territory=territory
    )
    assert "voté" in client.get(reverse("search"), {"q": "budget"}).content.decode()

    case.method = "Un budget revu."
    case.save()
    territory.name = "Talence"
    territory.save()
    page = client.get(reverse("search"), {"q": "budget"}).content.decode()
    assert "Un <mark>budget</mark> revu" in page and "voté" not in page
    assert "(Talence)" in page and "Mérignac" not in page

    case.status = "draft"
    case.save()
    assert "Un budget" not in client.get(reverse("search"), {"q": "budget"}).content.decode()


def test_a_result_kept_is_not_shown_again_once_the_shared_versions_start_over(
    client, settings, django_capture_on_commit_callbacks
):
    """With Redis, the content versions live in Redis, and the README has it emptied after a
    restart or a restore: they start over from nothing, while each server process still keeps
    what its searches showed under the versions of before."""
    from django.core.cache import cache

    settings.CONTENT_VERSIONS_IN_CACHE = True
    territory = TerritoryFactory(name="Mérignac")
    PublishedCaseStudyFactory(title="Un budget", method="Un budget voté.", territory=territory)
    assert "(Mérignac)" in client.get(reverse("search"), {"q": "budget"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        territory.name = "Talence"
        territory.save()
    assert "(Talence)" in client.get(reverse("search"), {"q": "budget"}).content.decode()

    cache.clear()  # redis-cli FLUSHDB, or Redis restarted without a snapshot

    page = client.get(reverse("search"), {"q": "budget"}).content.decode()
    assert "(Talence)" in page and "Mérignac" not in page


class ChangingWhileEvicting(OrderedDict):
    """`KEPT_RESULTS` as gunicorn's threads share it: another thread keeps a result between the
    moment this one starts looking for the oldest and the moment it takes it."""

    def __iter__(self):
        found = super().__iter__()
        self[("kept by another thread", len(self))] = None
        return found


def test_a_full_store_of_results_shared_by_threads_never_breaks_a_search(client, monkeypatch):
    from transfo import views

    PublishedCaseStudyFactory(title="Un budget", method="Un budget voté.")
    kept = ChangingWhileEvicting({("kept", n): None for n in range(views.KEPT_RESULTS_MAX)})
    monkeypatch.setattr(views, "KEPT_RESULTS", kept)

    page = client.get(reverse("search"), {"q": "budget"})

    assert page.status_code == 200
    assert "Un <mark>budget</mark>" in page.content.decode()
