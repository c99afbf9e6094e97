"""/carte/: cases by région and département, each area a link with its count, and a table."""

import pytest
from django.urls import reverse

from cases.models import Territory
from tests.factories import CaseStudyFactory, PublishedCaseStudyFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    gironde = TerritoryFactory(name="Pessac", region="Nouvelle-Aquitaine", departement="Gironde")
    PublishedCaseStudyFactory.create_batch(3, territory=gironde)
    CaseStudyFactory(territory=gironde)  # a draft: not counted
    PublishedCaseStudyFactory(
        territory=TerritoryFactory(region="Bretagne", departement="Finistère")
    )
    PublishedCaseStudyFactory(
        territory=TerritoryFactory(region="La Réunion", departement="La Réunion")
    )
    PublishedCaseStudyFactory(
        title="Le budget participatif de Milan",
        territory=TerritoryFactory(
            name="Milan", kind=Territory.Kind.ABROAD, region="", departement=""
        ),
    )


def test_each_region_links_to_its_filtered_case_list_with_its_count(client, cases):
    response = client.get(reverse("map"))
    html = response.content.decode().replace("\u00a0", " ").replace("\u202f", " ")
    assert '<a href="/cas/?region=Nouvelle-Aquitaine" class="area step-5">' in html
    assert "<title>Nouvelle-Aquitaine : 3 cas</title>" in html
    assert "<title>Occitanie : aucun cas</title>" in html
    # The table says the same, most cases first.
    areas = response.context["by_count"]
    assert [(a["name"], a["count"]) for a in areas[:2]] == [
        ("Nouvelle-Aquitaine", 3),
        ("Bretagne", 1),
    ]
    assert len(areas) == 13


def test_the_departement_level_and_the_places_off_the_map(client, cases):
    response = client.get(reverse("map"), {"niveau": "departement"})
    html = response.content.decode()
    assert 'href="/cas/?departement=Gironde"' in html
    assert len(response.context["areas"]) == 96
    assert [place["name"] for place in response.context["off_map"]] == ["La Réunion"]
    assert "Le budget participatif de Milan" in html


def test_the_map_is_compressed_and_takes_a_fixed_number_of_queries(
    client, cases, django_assert_num_queries
):
    # counts by région, the cases abroad
    with django_assert_num_queries(2):
        response = client.get(reverse("map"), headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"


def test_a_foreign_or_unknown_level_falls_back_to_regions(client, cases):
    assert client.get(reverse("map"), {"niveau": "<script>"}).context["level"] == "region"


def test_the_colour_bands_put_the_highest_count_in_the_darkest():
    from transfo.maps import step

    assert [step(n, 10) for n in [0, 1, 2, 5, 9, 10]] == [0, 1, 1, 3, 5, 5]
