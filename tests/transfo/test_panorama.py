"""/panorama/: charts with their data tables and CSV files."""

import pytest
from django.urls import reverse

from tests.factories import (
    PublishedCaseStudyFactory,
    PublishedPracticeFactory,
    PublishedTrainingFactory,
    TerritoryFactory,
    ThemeFactory,
    TrainingPracticeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def repository():
    theme = ThemeFactory(name="Numérique", slug="numerique")
    taught = PublishedPracticeFactory(family="axe-proximite", themes=[theme])
    PublishedPracticeFactory(family="axe-proximite")
    TrainingPracticeFactory(training=PublishedTrainingFactory(), practice=taught)
    for year in [2019, 2019, 2021]:
        PublishedCaseStudyFactory(
            year_start=year, practices=[taught], territory=TerritoryFactory(region="Bretagne")
        )


def test_each_chart_has_its_rows_with_links_and_bar_widths(client, repository):
    response = client.get(reverse("panorama"))
    charts = {chart["slug"]: chart["rows"] for chart in response.context["charts"]}
    assert [(r["label"], r["value"], r["width"]) for r in charts["cas-par-annee"]] == [
        ("2019", 2, 100.0),
        ("2021", 1, 50.0),
    ]
    assert charts["cas-par-annee"][0]["url"] == "/cas/?annee=2019"
    assert charts["cas-par-region"][0]["label"] == "Bretagne"
    gaps = {r["label"]: r["value"] for r in charts["pratiques-sans-formation"]}
    assert gaps["Axe 1 — Proximité et expérience usager"] == 1
    html = response.content.decode()
    assert '<rect width="100.0" height="10"/>' in html
    assert response.context["matrix"]["themes"] == ["Numérique"]


def test_each_chart_downloads_as_csv(client, repository):
    response = client.get(reverse("panorama_csv", args=["cas-par-annee"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode("utf-8-sig").splitlines() == ["Année,Cas", "2019,2", "2021,1"]
    assert client.get("/panorama/inconnu.csv").status_code == 404


def test_the_panorama_takes_a_fixed_number_of_queries(
    client, repository, django_assert_num_queries
):
    # by year, by région, by family, practices without training, the matrix, the two totals
    with django_assert_num_queries(7):
        client.get(reverse("panorama"))
