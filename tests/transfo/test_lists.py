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
    "params", [{}, {"theme": "t0"}, {"pratique": "p1"}, {"region": "Bretagne"}]
)
def test_facet_counts_count_each_case_once_whatever_its_links(client, params):
    themes = [ThemeFactory(slug=f"t{n}") for n in range(3)]
    practices = [PublishedPracticeFactory(slug=f"p{n}") for n in range(2)]
    PublishedCaseStudyFactory(
        kind=CaseStudy.Kind.FOCUS,
        territory=TerritoryFactory(region="Bretagne"),
        themes=themes,
        practices=practices,
    )

    counts = client.get(reverse("cases:list"), params).context["facet_counts"]

    assert counts["region"] == {"Bretagne": 1}
    assert counts["type"] == {"focus": 1}
    assert counts["theme"] == {"t0": 1, "t1": 1, "t2": 1}
    assert counts["pratique"] == {"p0": 1, "p1": 1}


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


def test_htmx_gets_the_results_and_the_filters_with_their_new_counts(client, cases):
    response = client.get(
        reverse("cases:list"), {"region": "Bretagne"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="resultats"' in html and 'id="filtres"' in html
    # With Bretagne chosen, only the Bretagne case counts in the other facets.
    assert "Focus (1)" in html and "Exemple" not in html
    assert "HX-Request" in response["Vary"]


def test_the_full_page_also_says_it_varies_on_htmx(client, cases):
    response = client.get(reverse("cases:list"), {"region": "Bretagne"})
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_options_without_results_are_left_out_but_a_chosen_one_stays(client, cases):
    response = client.get(reverse("cases:list"), {"region": "Bretagne"})
    options = dict(response.context["filter"].form.fields["departement"].widget.choices)
    assert options == {"": "Tous", "Finistère": "Finistère (1)"}
    regions = dict(response.context["filter"].form.fields["region"].widget.choices)
    assert regions == {"": "Toutes", "Bretagne": "Bretagne (1)", "Occitanie": "Occitanie (1)"}


def test_options_read_from_the_data_are_in_french_order(client):
    for region in ["Île-de-France", "Grand Est", "Bretagne", "Auvergne-Rhône-Alpes"]:
        PublishedCaseStudyFactory(territory=TerritoryFactory(region=region))
    response = client.get(reverse("cases:list"))
    labels = [
        label for value, label in response.context["filter"].form.fields["region"].widget.choices
    ]
    assert labels == [
        "Toutes",
        "Auvergne-Rhône-Alpes (1)",
        "Bretagne (1)",
        "Grand Est (1)",
        "Île-de-France (1)",
    ]


def test_each_active_filter_is_a_chip_that_removes_it(client, cases):
    response = client.get(reverse("cases:list"), {"region": "Bretagne", "type": "focus", "page": 1})
    chips = {chip["label"]: chip for chip in response.context["active_filters"]}
    assert chips["Région"]["value"] == "Bretagne"
    assert chips["Région"]["url"] == "/cas/?type=focus"
    assert chips["Type de cas"]["value"] == "Focus"
    assert chips["Type de cas"]["url"] == "/cas/?region=Bretagne"
    html = response.content.decode()
    assert "Filtrer (2)" in html and "Tout effacer" in html


def test_no_result_is_said_in_the_singular(client, cases):
    response = client.get(reverse("cases:list"), {"q": "introuvablemotinconnu"})
    heading = response.content.decode().split('id="resultats-titre"')[1].split("</h2>")[0]
    assert "0\u00a0résultat" in heading and "résultats" not in heading


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
