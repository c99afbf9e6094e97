"""« Citer cette fiche »: the French citation on the page, BibTeX and RIS downloads."""

import pytest
from django.urls import reverse

from tests.factories import CaseStudyFactory, PublishedCaseStudyFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    source = SourceFactory(
        title="Les pratiques des collectivités", publisher="CNFPT", date_label="décembre 2022"
    )
    return PublishedCaseStudyFactory(
        title="Une école ouverte", slug="ecole-ouverte", source=source, pages="12-13"
    )


def test_the_case_page_gives_a_french_citation_with_report_page_url_and_date(client, case):
    html = client.get(case.get_absolute_url()).content.decode()
    html = html.replace("\u202f", " ").replace("\u00a0", " ")
    assert "Citer cette fiche" in html
    assert (
        "« Une école ouverte », fiche cas de Transfo, d’après Les pratiques des collectivités, "
        "CNFPT, décembre 2022, p. 12-13. En ligne : http://testserver/cas/ecole-ouverte/ "
        "(consulté le "
    ) in html


def test_bibtex_download(client, case):
    response = client.get(reverse("cite", args=["cas", "ecole-ouverte", "bib"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="transfo-ecole-ouverte.bib"'
    text = response.content.decode()
    assert text.startswith("@misc{transfo-ecole-ouverte,")
    assert "title = {Une école ouverte}" in text
    assert "url = {http://testserver/cas/ecole-ouverte/}" in text
    assert "p. 12-13" in text


def test_ris_download(client, case):
    text = client.get(reverse("cite", args=["cas", "ecole-ouverte", "ris"])).content.decode()
    assert text.startswith("TY  - ELEC\r\n")
    assert "TI  - Une école ouverte\r\n" in text and text.endswith("ER  - \r\n")


def test_bibtex_escapes_what_latex_would_read(client):
    PublishedCaseStudyFactory(title="100 % {numérique} & co", slug="cent")
    text = client.get(reverse("cite", args=["cas", "cent", "bib"])).content.decode()
    assert r"title = {100 \% \{numérique\} \& co}" in text


@pytest.mark.parametrize("args", [["cas", "brouillon", "bib"], ["inconnu", "x", "bib"]])
def test_no_citation_of_a_draft_or_an_unknown_type(client, args):
    CaseStudyFactory(slug="brouillon")
    assert client.get(reverse("cite", args=args)).status_code == 404


def test_a_source_can_be_cited_too(client):
    SourceFactory(slug="cnfpt-2022", title="Rapport", authors="Flavie Cantet")
    text = client.get(reverse("cite", args=["source", "cnfpt-2022", "ris"])).content.decode()
    assert "TI  - Rapport" in text


def test_record_pages_have_link_preview_meta(client, case):
    html = client.get(case.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Une école ouverte">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert "Fiche publiée le" in html
