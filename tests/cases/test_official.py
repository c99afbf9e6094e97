"""Territories matched to the Code officiel géographique, by name and département only."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.models import Territory
from cases.official import Reference
from tests.factories import PublishedCaseStudyFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cog(tmp_path):
    """A tiny COG in the shape of @etalab/decoupage-administratif's data/ directory."""
    communes = [
        {
            "code": "33318",
            "nom": "Pessac",
            "type": "commune-actuelle",
            "departement": "33",
            "region": "75",
            "siren": "213303180",
            "population": 66760,
        },
        {
            "code": "33063",
            "nom": "Bordeaux",
            "type": "commune-actuelle",
            "departement": "33",
            "region": "75",
            "siren": "213300635",
            "population": 261804,
        },
        {
            "code": "97411",
            "nom": "Saint-Denis",
            "type": "commune-actuelle",
            "departement": "974",
            "region": "04",
            "siren": "219740115",
            "population": 155634,
        },
        {
            "code": "93066",
            "nom": "Saint-Denis",
            "type": "commune-actuelle",
            "departement": "93",
            "region": "11",
            "siren": "219300662",
            "population": 113942,
        },
    ]
    files = {
        "communes.json": communes,
        "departements.json": [
            {"code": "33", "region": "75", "nom": "Gironde"},
            {"code": "93", "region": "11", "nom": "Seine-Saint-Denis"},
            {"code": "974", "region": "04", "nom": "La Réunion"},
        ],
        "regions.json": [
            {"code": "75", "nom": "Nouvelle-Aquitaine"},
            {"code": "11", "nom": "Île-de-France"},
            {"code": "04", "nom": "La Réunion"},
        ],
        "epci.json": [
            {
                "code": "243300316",
                "nom": "Bordeaux Métropole",
                "type": "METRO",
                "populationTotale": 834398,
                "membres": [{"code": "33063"}, {"code": "33318"}],
            },
        ],
        "ept.json": [],
    }
    for name, rows in files.items():
        (tmp_path / name).write_text(json.dumps(rows), encoding="utf-8")
    return tmp_path


def test_a_commune_is_matched_by_name_and_departement(cog):
    reference = Reference(cog)
    reunion = TerritoryFactory(
        name="Saint-Denis (La Réunion)", kind="commune", departement="La Réunion"
    )
    identity, reason = reference.match(reunion)
    assert (identity.insee_code, identity.siren, identity.population) == (
        "97411",
        "219740115",
        155634,
    )
    assert identity.region_code == "04" and reason == ""


def test_groupings_departements_and_regions_are_matched_too(cog):
    reference = Reference(cog)
    metro, _ = reference.match(
        TerritoryFactory(name="Bordeaux Métropole", kind="metropole", departement="Gironde")
    )
    assert (metro.siren, metro.official_type) == ("243300316", "Métropole")
    gironde, _ = reference.match(
        TerritoryFactory(
            name="Département de la Gironde", kind="departement", departement="Gironde"
        )
    )
    assert (gironde.insee_code, gironde.population) == ("33", 66760 + 261804)
    region, _ = reference.match(TerritoryFactory(name="Région Île-de-France", kind="region"))
    assert region.insee_code == "11"


@pytest.mark.parametrize(
    "name, kind, departement, reason",
    [
        ("Région Champagne-Ardenne", "region", "", "ancienne région"),
        ("Saint-Denis", "commune", "", "sans département"),
        ("Milan", "etranger", "", "pas une collectivité territoriale française"),
        ("Villeneuve", "commune", "Gironde", "0 communes"),
    ],
)
def test_what_does_not_match_says_why(cog, name, kind, departement, reason):
    identity, why = Reference(cog).match(
        TerritoryFactory(name=name, kind=kind, departement=departement)
    )
    assert identity is None and reason in why


def test_the_command_writes_reports_and_applies_the_matches(cog, tmp_path, monkeypatch, capsys):
    from cases.management.commands import match_territories

    monkeypatch.setattr(match_territories, "MATCHES", tmp_path / "territories-cog.json")
    TerritoryFactory(slug="pessac", name="Pessac", kind="commune", departement="Gironde")
    TerritoryFactory(slug="milan", name="Milan", kind="etranger", departement="")
    call_command("match_territories", cog=str(cog))
    out = capsys.readouterr().out
    assert "Rattachés au COG : 1 sur 2." in out
    assert "non rattaché : Milan" in out
    assert Territory.objects.get(slug="pessac").insee_code == "33318"
    # Applying the written file alone gives the same result.
    Territory.objects.filter(slug="pessac").update(insee_code="")
    call_command("match_territories", apply_only=True)
    assert Territory.objects.get(slug="pessac").insee_code == "33318"


def test_the_territory_page_csv_and_api_show_the_official_identity(client):
    pessac = TerritoryFactory(
        slug="pessac",
        name="Pessac",
        insee_code="33318",
        siren="213303180",
        official_type="Commune",
        departement_code="33",
        region_code="75",
        population=66760,
    )
    PublishedCaseStudyFactory(territory=pessac)
    html = client.get(pessac.get_absolute_url()).content.decode()
    assert "213303180" in html and "66\u202f760" in html
    api = client.get("/api/v1/territoires/pessac/").json()
    assert (api["insee_code"], api["population"]) == ("33318", 66760)


def test_cases_filter_by_size_of_the_collectivity(client):
    small = PublishedCaseStudyFactory(territory=TerritoryFactory(population=3000))
    big = PublishedCaseStudyFactory(territory=TerritoryFactory(population=600_000))
    PublishedCaseStudyFactory(territory=TerritoryFactory(population=None))
    response = client.get(reverse("cases:list"), {"taille": "moins-de-10000"})
    assert list(response.context["object_list"]) == [small]
    response = client.get(reverse("cases:list"), {"taille": "200000-1000000"})
    assert list(response.context["object_list"]) == [big]


def test_applied_identities_show_on_pages_cached_before(client, settings, tmp_path, monkeypatch):
    from cases.management.commands import match_territories

    settings.PAGE_CACHE_SECONDS = 600
    pessac = TerritoryFactory(slug="pessac", name="Pessac")
    PublishedCaseStudyFactory(territory=pessac)
    assert "33318" not in client.get(pessac.get_absolute_url()).content.decode()
    matches = tmp_path / "territories-cog.json"
    identity = {"insee_code": "33318", "official_type": "Commune", "population": 66760}
    matches.write_text(json.dumps({"pessac": identity}), encoding="utf-8")
    monkeypatch.setattr(match_territories, "MATCHES", matches)
    call_command("match_territories", apply_only=True, stdout=StringIO())
    assert "33318" in client.get(pessac.get_absolute_url()).content.decode()
