"""Every public page runs a fixed number of queries, whatever the number of rows.

The `world` fixture has several published cases, each with several practices, themes and pistes,
and trainings linked to several practices: an N+1 query would add rows to these counts.
"""

import pytest
from django.urls import reverse

from tests.factories import PublishedCaseStudyFactory

pytestmark = pytest.mark.django_db

# (name, url builder, queries) — the comment lists the queries.
PAGES = [
    # content versions, counts per record type ×5, practices per family, themes with case
    # counts, featured cases + their practices
    ("home", lambda w: reverse("home"), 10),
    # content versions (what the vocabulary says of a word is kept under them: the words met
    # before are not read again); the synonyms and which of the query's words the index knows
    # (one UNION query); the best matches ranked in the index with the capped count, for the 8
    # kinds (cases, practices, trainings, pistes, orientations, findings, reports, territories)
    # in one query (for the cases, those whose title holds the words); the cases' other matches,
    # their titles not filling the page; the records of every kind that matches, in one query
    ("search", lambda w: reverse("search") + "?q=cas", 5),
    # practices without a published training, trainings without a practice
    ("gaps", lambda w: reverse("gaps"), 2),
    # content versions, count, 7 facets (which give the région and département options too),
    # theme, practice and source options, the page of cases (their ids), the cases whose card is
    # to be rendered (here all) and their practice links
    ("case list", lambda w: reverse("cases:list"), 15),
    # the same, + the région options read to validate the filter, + the query compiled once for
    # the page (synonyms and known words, one UNION query), + the page ranked in the index before
    # its cases are read (two queries instead of one that sorts every match)
    (
        "case list filtered",
        lambda w: reverse("cases:list") + "?q=cas&region=Nouvelle-Aquitaine",
        18,
    ),
    # (on every list: the page gives its records' ids, and the records whose card is to be
    # rendered are read whole, with what their cards read across relations)
    # content versions, count, 3 facets, theme and source options, the page, its practices and
    # their themes, the number of cases and of trainings of every practice (2, once per content)
    ("practice list", lambda w: reverse("practices:list"), 12),
    # content versions, count, 3 facets, practice options, the page, its trainings
    ("training list", lambda w: reverse("trainings:list"), 8),
    # content versions, count, 1 facet, source options, the page, its orientations and pistes
    ("orientation list", lambda w: reverse("practices:orientation_list"), 7),
    # content versions, count, 3 facets, orientation, tag and source options, the page, its
    # pistes and their tags
    ("piste list", lambda w: reverse("practices:piste_list"), 11),
    ("source list", lambda w: reverse("practices:source_list"), 1),
    # content versions (the key of the list's kept body), count, the page
    ("territory list", lambda w: reverse("cases:territory_list"), 3),
    # content versions (read before the record: see PublishedDetailView.get); the case
    # with territory and source, practice links, themes, pistes, findings, trainings, related cases
    ("case", lambda w: w["cases"][0].get_absolute_url(), 8),
    # the territory, its cases, content versions (the cases' cards), their practice links (for
    # the cards to render)
    ("territory", lambda w: w["cases"][0].territory.get_absolute_url(), 4),
    # the source; content versions; count and first page of its cases, practices, trainings and
    # findings; count and first page of its orientations (none here, so no piste query)
    ("source", lambda w: w["cases"][0].source.get_absolute_url(), 12),
    # the practice with source, themes, cases, trainings, pistes, findings; content versions
    # (the cases' cards), their practice links (for the cards to render)
    ("practice", lambda w: w["practices"][0].get_absolute_url(), 8),
    # content versions; the training with source, themes, practice links, findings, cases through
    # the practices
    ("training", lambda w: w["trainings"][0].get_absolute_url(), 6),
    # the piste with source and orientation, tags, themes, practices, inspirations, findings;
    # content versions (the cases' cards), their practice links (for the cards to render)
    ("piste", lambda w: w["pistes"][0].get_absolute_url(), 8),
    # content versions; the orientation with source, its pistes, their tags
    ("orientation", lambda w: w["pistes"][0].orientation.get_absolute_url(), 4),
    # counts by région, the cases abroad
    ("map", lambda w: reverse("map"), 2),
    # by year, by région, by family, practices without training, the matrix, two totals
    ("panorama", lambda w: reverse("panorama"), 7),
    # the published reports
    ("about", lambda w: reverse("about"), 1),
    ("site map", lambda w: reverse("site_map"), 1),
    ("legal notice", lambda w: reverse("legal"), 0),
    ("accessibility", lambda w: reverse("accessibility"), 0),
    ("data", lambda w: reverse("data"), 0),
    # the latest of each record type, with its source
    ("feed", lambda w: reverse("feed"), 5),
]


@pytest.mark.parametrize("name, url, queries", PAGES, ids=[page[0] for page in PAGES])
def test_each_page_runs_a_fixed_number_of_queries(
    client, world, django_assert_num_queries, name, url, queries
):
    with django_assert_num_queries(queries):
        assert client.get(url(world)).status_code == 200


def test_more_cases_do_not_mean_more_queries(client, world, django_assert_num_queries):
    PublishedCaseStudyFactory.create_batch(
        10, practices=world["practices"], themes=world["themes"], pistes=world["pistes"]
    )
    with django_assert_num_queries(15):
        client.get(reverse("cases:list"))
    # the cases' cards were rendered by the list: their practice links are not read again
    with django_assert_num_queries(7):
        client.get(world["practices"][0].get_absolute_url())


def test_a_list_counts_once_per_content(client, world, django_assert_num_queries):
    """Paging or coming back to a list reuses its result and facet counts."""
    client.get(reverse("cases:list"))
    # content versions, theme, practice and source options, the ids of the page's cases: no
    # count, no facet, no case read whole (the cards were rendered at the first visit)
    with django_assert_num_queries(5):
        client.get(reverse("cases:list"), {"tri": "titre"})
    PublishedCaseStudyFactory(practices=world["practices"])
    with django_assert_num_queries(15):
        response = client.get(reverse("cases:list"))
    assert response.context["result_count"] == len(world["cases"]) + 1


def test_home_and_source_pages_count_once_per_content(client, world, django_assert_num_queries):
    """The counts over every record are reused until a record changes, and only until then."""
    source = world["cases"][0].source
    client.get(reverse("home"))
    before = client.get(source.get_absolute_url()).context["case_count"]
    # content versions (the figures and the featured cases are kept with the part that shows them)
    with django_assert_num_queries(1):
        home = client.get(reverse("home"))
    # content versions (what the page shows of the source was kept at the first visit)
    with django_assert_num_queries(1):
        client.get(source.get_absolute_url())
    PublishedCaseStudyFactory(source=source)
    with django_assert_num_queries(10):
        after = client.get(reverse("home"))
    assert after.context["counts"]["cases"] == home.context["counts"]["cases"] + 1
    with django_assert_num_queries(12):
        page = client.get(source.get_absolute_url())
    assert page.context["case_count"] == before + 1


def test_only_the_cards_to_render_read_what_a_card_shows(client, world, django_assert_num_queries):
    """A case card shows the case's practices: they are read for the cards not yet rendered."""
    client.get(reverse("cases:list"))
    new = PublishedCaseStudyFactory(title="AAA premier de la liste", practices=world["practices"])
    # content versions, count, 7 facets, the options ×3, the page, the cases of the cards to
    # render again (the versions changed: every card of the page) and their practice links
    with django_assert_num_queries(15):
        first = client.get(reverse("cases:list")).content.decode()
    with django_assert_num_queries(5):
        again = client.get(reverse("cases:list"), {"tri": "titre"}).content.decode()
    assert first.count("AAA premier de la liste") == again.count("AAA premier de la liste") == 1
    for practice in world["practices"]:
        assert first.count(practice.title) == again.count(practice.title) > 0
    assert new.get_absolute_url() in again


def test_the_options_read_from_the_content_are_read_once_per_content(client, world):
    """The régions where a case is published validate the région filter: one read per content,
    whatever the filters (a DISTINCT over every territory costs 20 ms at 100,000 demo cases)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def region_reads(params):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cases:list"), params).status_code == 200
        return [q["sql"] for q in queries if 'DISTINCT "cases_territory"."region"' in q["sql"]]

    assert region_reads({"region": "Nouvelle-Aquitaine"})
    assert not region_reads({"region": "Nouvelle-Aquitaine", "type": "focus"})
    PublishedCaseStudyFactory(practices=world["practices"])
    assert region_reads({"region": "Nouvelle-Aquitaine", "type": "focus"})
