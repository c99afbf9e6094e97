"""The pages that say who publishes Transfo, how to reuse it, and how accessible it is."""

import pytest
from django.urls import reverse

from tests.factories import (
    PracticeFactory,
    PublishedCaseStudyFactory,
    PublishedPracticeFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, heading, says",
    [
        ("about", "À propos de Transfo", "Proposer un cas"),
        ("legal", "Mentions légales", "Données personnelles"),
        ("accessibility", "Déclaration d’accessibilité", "Défenseur des droits"),
        ("data", "Réutiliser les données", "Licence Ouverte / Etalab 2.0"),
        ("site_map", "Plan du site", "Mentions légales"),
    ],
)
def test_each_trust_page_answers_in_french_and_is_linked_from_every_footer(
    client, name, heading, says
):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html and says in html
    footer = client.get(reverse("home")).content.decode().split('class="site-footer"')[1]
    assert f'href="{reverse(name)}"' in footer


def test_the_accessibility_statement_has_the_parts_of_the_rgaa_form(client):
    html = client.get(reverse("accessibility")).content.decode()
    for part in [
        "État de conformité",
        "partiellement conforme",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration",
        "Retour d’information et contact",
        "Voies de recours",
    ]:
        assert part in html


def test_the_contact_is_the_one_the_operator_sets_and_never_invented(client, settings):
    assert "mailto:" not in client.get(reverse("legal")).content.decode()
    settings.SITE_CONTACT_EMAIL = "equipe@transfo.example"
    assert 'href="mailto:equipe@transfo.example"' in client.get(reverse("legal")).content.decode()


def test_the_about_page_lists_the_published_reports_only(client):
    SourceFactory(title="Rapport publié", status="published")
    SourceFactory(title="Rapport en brouillon", status="draft")
    html = client.get(reverse("about")).content.decode()
    assert "Rapport publié" in html and "Rapport en brouillon" not in html


def test_the_site_pages_are_in_the_sitemap(client):
    xml = client.get("/sitemap.xml").content.decode()
    for name in ["about", "legal", "accessibility", "data", "site_map"]:
        assert reverse(name) in xml


def test_the_feed_lists_published_records_newest_first(client):
    PublishedPracticeFactory(title="Pratique publiée")
    PracticeFactory(title="Pratique en brouillon")
    PublishedCaseStudyFactory(title="Cas publié")
    response = client.get(reverse("feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert "Pratique : Pratique publiée" in xml and "Cas : Cas publié" in xml
    assert "brouillon" not in xml
    assert xml.index("Cas publié") < xml.index("Pratique publiée")
