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
    # counts per record type ×5, practices per family, themes with case counts, featured cases
    # + their practices
    ("home", lambda w: reverse("home"), 9),
    # per record type: count + first results ×5 (cases only when there is a match: 1 each)
    ("search", lambda w: reverse("search") + "?q=cas", 6),
    # practices without a published training, trainings without a practice
    ("gaps", lambda w: reverse("gaps"), 2),
    # count, 7 facets (which give the région and département options too), theme, practice and
    # source options, the page of cases, their practices
    ("case list", lambda w: reverse("cases:list"), 13),
    # the same, + the région options read to validate the filter
    (
        "case list filtered",
        lambda w: reverse("cases:list") + "?q=cas&region=Nouvelle-Aquitaine",
        14,
    ),
    # count, 3 facets, theme and source options, the page, its themes
    ("practice list", lambda w: reverse("practices:list"), 8),
    # count, 3 facets, practice options, the page
    ("training list", lambda w: reverse("trainings:list"), 6),
    # count, 1 facet, source options, the page, its pistes
    ("orientation list", lambda w: reverse("practices:orientation_list"), 5),
    # count, 3 facets, orientation, tag and source options, the page, its tags
    ("piste list", lambda w: reverse("practices:piste_list"), 9),
    ("source list", lambda w: reverse("practices:source_list"), 1),
    ("territory list", lambda w: reverse("cases:territory_list"), 2),
    # the case with territory and source, themes, practices, pistes, trainings, related cases
    ("case", lambda w: w["cases"][0].get_absolute_url(), 6),
    # the territory, its cases, their practices
    ("territory", lambda w: w["cases"][0].territory.get_absolute_url(), 3),
    # the source; count and first page of its cases, practices and trainings; its orientations
    # (none here, so no piste query)
    ("source", lambda w: w["cases"][0].source.get_absolute_url(), 8),
    # the practice with source, themes, cases, their practices, trainings, pistes
    ("practice", lambda w: w["practices"][0].get_absolute_url(), 6),
    # the training with source, themes, practice links, cases through the practices
    ("training", lambda w: w["trainings"][0].get_absolute_url(), 4),
    # the piste with source and orientation, tags, themes, practices, inspirations, their practices
    ("piste", lambda w: w["pistes"][0].get_absolute_url(), 6),
    # the orientation with source, its pistes, their tags
    ("orientation", lambda w: w["pistes"][0].orientation.get_absolute_url(), 3),
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
    with django_assert_num_queries(13):
        client.get(reverse("cases:list"))
    with django_assert_num_queries(6):
        client.get(world["practices"][0].get_absolute_url())
