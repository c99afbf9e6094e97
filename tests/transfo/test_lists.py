"""Each filter, sort, facet count and pagination path of the public lists."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import CaseStudy, Territory
from practices.models import Practice
from tests.factories import (
    PublishedCaseStudyFactory,
    PublishedOrientationFactory,
    PublishedPisteFactory,
    PublishedPracticeFactory,
    PublishedTrainingFactory,
    SourceFactory,
    TagFactory,
    TerritoryFactory,
    ThemeFactory,
    TrainingPracticeFactory,
)
from trainings.models import Training

pytestmark = pytest.mark.django_db


def slugs(response):
    return sorted(obj.slug for obj in response.context["object_list"])


@pytest.fixture
def cases():
    theme, practice, source = (
        ThemeFactory(slug="rh"),
        PublishedPracticeFactory(slug="budget-vert"),
        SourceFactory(slug="cnfpt"),
    )
    wanted = PublishedCaseStudyFactory(
        slug="wanted",
        kind=CaseStudy.Kind.FOCUS,
        territory=TerritoryFactory(
            kind=Territory.Kind.METROPOLIS, region="Bretagne", departement="Finistère"
        ),
        themes=[theme],
        practices=[practice],
        source=source,
        year_start=2019,
        year_end=2021,
    )
    other = PublishedCaseStudyFactory(
        slug="other",
        kind=CaseStudy.Kind.EXAMPLE,
        territory=TerritoryFactory(
            kind=Territory.Kind.COMMUNE, region="Occitanie", departement="Hérault"
        ),
        year_start=2015,
    )
    return wanted, other


@pytest.mark.parametrize(
    "param, value",
    [
        ("type", "focus"),
        ("type_territoire", "metropole"),
        ("region", "Bretagne"),
        ("departement", "Finistère"),
        ("theme", "rh"),
        ("pratique", "budget-vert"),
        ("source", "cnfpt"),
        ("annee", "2020"),
    ],
)
def test_each_case_filter_keeps_only_the_matching_cases(client, cases, param, value):
    assert slugs(client.get(reverse("cases:list"), {param: value})) == ["wanted"]


def test_case_filters_combine(client, cases):
    assert slugs(client.get(reverse("cases:list"), {"region": "Bretagne", "type": "exemple"})) == []


def test_facet_counts_keep_the_other_filters(client, cases):
    response = client.get(reverse("cases:list"), {"type": "focus"})
    counts = response.context["facet_counts"]
    assert counts["region"] == {"Bretagne": 1}
    assert counts["type"] == {"focus": 1, "exemple": 1}  # its own filter is left out
    assert "Bretagne (1)" in response.content.decode()


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("titre", ["Alpha", "Bravo", "Charlie"]),
        ("periode", ["Bravo", "Charlie", "Alpha"]),
        ("recent", ["Charlie", "Bravo", "Alpha"]),
    ],
)
def test_case_sorts(client, sort, expected):
    for title, year in [("Alpha", 2010), ("Bravo", 2022), ("Charlie", 2018)]:
        PublishedCaseStudyFactory(title=title, year_start=year)
    titles = [
        case.title
        for case in client.get(reverse("cases:list"), {"tri": sort}).context["object_list"]
    ]
    assert titles == expected


def test_pagination_keeps_the_filters(client):
    bretagne = TerritoryFactory(region="Bretagne")
    PublishedCaseStudyFactory.create_batch(25, territory=bretagne)
    response = client.get(reverse("cases:list"), {"region": "Bretagne", "tri": "titre"})
    assert len(response.context["object_list"]) == 20
    assert 'href="?region=Bretagne&amp;tri=titre&amp;page=2"' in response.content.decode()
    second = client.get(reverse("cases:list"), {"region": "Bretagne", "tri": "titre", "page": 2})
    assert len(second.context["object_list"]) == 5


def test_htmx_gets_only_the_results(client, cases):
    response = client.get(
        reverse("cases:list"), {"region": "Bretagne"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="resultats"')
    assert "<html" not in html


@pytest.mark.parametrize(
    "param, value", [("famille", "fonction-support"), ("theme", "rh"), ("source", "cnfpt")]
)
def test_each_practice_filter(client, param, value):
    PublishedPracticeFactory(
        slug="wanted",
        family=Practice.Family.SUPPORT,
        themes=[ThemeFactory(slug="rh")],
        source=SourceFactory(slug="cnfpt"),
    )
    PublishedPracticeFactory(slug="other", family=Practice.Family.PROXIMITY)
    assert slugs(client.get(reverse("practices:list"), {param: value})) == ["wanted"]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"domaine": "juridique"}, ["long"]),
        ({"modalite": "webinaire"}, ["webinar"]),
        ({"duree_min": "2.5"}, ["long"]),
        ({"duree_max": "1"}, ["short"]),
        ({"duree_min": "0.5", "duree_max": "3"}, ["long", "short"]),
        ({"pratique": "design"}, ["short"]),
    ],
)
def test_each_training_filter(client, params, expected):
    short = PublishedTrainingFactory(slug="short", duration_days=Decimal("1"))
    PublishedTrainingFactory(
        slug="long", duration_days=Decimal("2.5"), domain=Training.Domain.LEGAL
    )
    PublishedTrainingFactory(
        slug="webinar",
        duration_days=None,
        duration_label="Webinaire",
        format=Training.Format.WEBINAR,
    )
    TrainingPracticeFactory(training=short, practice=PublishedPracticeFactory(slug="design"))
    assert slugs(client.get(reverse("trainings:list"), params)) == expected


@pytest.mark.parametrize("param", ["orientation", "etiquette", "source"])
def test_each_piste_filter(client, param):
    orientation = PublishedOrientationFactory(slug="o1")
    tag = TagFactory(slug="contact")
    wanted = PublishedPisteFactory(slug="wanted", orientation=orientation, tags=[tag])
    PublishedPisteFactory(slug="other")
    value = {"orientation": "o1", "etiquette": "contact", "source": wanted.source.slug}[param]
    assert slugs(client.get(reverse("practices:piste_list"), {param: value})) == ["wanted"]


def test_the_empty_state_helps(client, cases):
    html = client.get(reverse("cases:list"), {"q": "introuvable"}).content.decode()
    assert "Aucun résultat ne correspond à ces critères" in html
    assert "Effacer les filtres" in html
