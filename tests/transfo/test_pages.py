"""Every public page answers, drafts stay hidden, bad input never gives a 500."""

import pytest
from django.urls import resolve, reverse

from practices.models import Status
from tests.factories import (
    CaseStudyFactory,
    PracticeFactory,
    PublishedCaseStudyFactory,
    PublishedOrientationFactory,
    PublishedPracticeFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

LIST_URLS = [
    "cases:list",
    "practices:list",
    "trainings:list",
    "practices:orientation_list",
    "practices:piste_list",
    "practices:source_list",
    "cases:territory_list",
]


def public_urls(world):
    case = world["cases"][0]
    piste = world["pistes"][0]
    return [
        reverse("home"),
        reverse("search") + "?q=cas",
        reverse("gaps"),
        reverse("robots"),
        reverse("sitemap"),
        *[reverse(name) for name in LIST_URLS],
        case.get_absolute_url(),
        case.territory.get_absolute_url(),
        case.source.get_absolute_url(),
        world["practices"][0].get_absolute_url(),
        world["trainings"][0].get_absolute_url(),
        piste.get_absolute_url(),
        piste.orientation.get_absolute_url(),
    ]


def test_every_public_page_answers(client, world):
    for url in public_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url


def test_every_page_link_resolves(client, world):
    """A smoke walk: each internal link found on the pages leads somewhere that answers 200."""
    import re

    seen, broken = set(), []
    for url in public_urls(world):
        html = client.get(url).content.decode()
        for href in re.findall(r'href="(/[^"#]*)"', html):
            if href in seen or href.startswith(("/static/", "/admin/")):
                continue
            seen.add(href)
            if client.get(href).status_code != 200:
                broken.append((url, href))
    assert broken == []


@pytest.mark.parametrize("factory", [CaseStudyFactory, PracticeFactory], ids=["case", "practice"])
@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW])
def test_a_draft_answers_404_to_the_public(client, factory, status):
    record = factory(status=status)
    assert client.get(record.get_absolute_url()).status_code == 404


def test_staff_can_preview_a_draft(admin_client):
    draft = CaseStudyFactory(status=Status.DRAFT, title="Brouillon confidentiel")
    response = admin_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Aperçu réservé à l’équipe" in response.content.decode()


def test_lists_hide_drafts(client):
    PublishedCaseStudyFactory(title="Cas publié")
    CaseStudyFactory(title="Cas en brouillon")
    content = client.get(reverse("cases:list")).content.decode()
    assert "Cas publié" in content
    assert "Cas en brouillon" not in content


def test_an_unpublished_source_hides_its_page(client):
    source = SourceFactory(status=Status.DRAFT)
    assert client.get(source.get_absolute_url()).status_code == 404


def test_a_report_page_shows_its_first_orientations_and_counts_them_all(client):
    source = SourceFactory(status=Status.PUBLISHED)
    PublishedOrientationFactory.create_batch(31, source=source)
    html = client.get(source.get_absolute_url()).content.decode()
    assert "31\u00a0orientations" in html
    assert (
        html.count('class="h5">Orientations et pistes <span class="small">(les 30 premières)') == 1
    )
    assert html.count('<li value="') == 30
    assert f'href="{reverse("practices:orientation_list")}?source={source.slug}"' in html


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("cases:detail", {"slug": "pessac-accueil"}),
        ("practices:detail", {"slug": "budget-vert"}),
        ("trainings:detail", {"slug": "evaluer"}),
        ("practices:piste_detail", {"slug": "porte-voix"}),
        ("practices:orientation_detail", {"slug": "o1"}),
        ("cases:territory_detail", {"slug": "pessac"}),
        ("practices:source_detail", {"slug": "cnfpt-2022"}),
    ],
)
def test_url_names_round_trip(name, kwargs):
    url = reverse(name, kwargs=kwargs)
    match = resolve(url)
    assert match.view_name == name
    assert match.kwargs == kwargs


def test_the_documented_paths_are_the_ones_served():
    assert reverse("practices:list") == "/pratiques/"
    assert reverse("cases:list") == "/cas/"
    assert reverse("trainings:list") == "/formations/"
    assert reverse("practices:orientation_list") == "/orientations/"
    assert reverse("practices:piste_detail", kwargs={"slug": "x"}) == "/pistes/x/"
    assert reverse("cases:territory_detail", kwargs={"slug": "x"}) == "/territoires/x/"
    assert reverse("practices:source_list") == "/sources/"
    assert reverse("search") == "/recherche/"


def test_the_home_page_counts_published_records_only(client):
    PublishedPracticeFactory.create_batch(2)
    PracticeFactory()
    response = client.get(reverse("home"))
    assert response.context["counts"]["practices"] == 2


def test_an_unknown_page_is_a_french_404(client):
    response = client.get("/cas/nexiste-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.parametrize(
    "query, shown_page",
    [("page=abc", 1), ("page=999999", 2), ("page=-1", 1), ("page=0", 1), ("page=" + "9" * 5000, 2)],
)
def test_a_page_number_out_of_range_shows_the_nearest_page(client, query, shown_page):
    PublishedCaseStudyFactory.create_batch(25)
    response = client.get(f"{reverse('cases:list')}?{query}")
    assert response.status_code == 200
    assert response.context["page_obj"].number == shown_page


@pytest.mark.parametrize(
    "query",
    [
        "pratique=nexiste-pas",
        "region=Atlantide",
        "type=inconnu",
        "annee=deux-mille",
        "annee=99999",
        "tri=nimportequoi",
        "theme=%00",
    ],
)
def test_a_malformed_filter_gives_a_page_with_a_message(client, world, query):
    response = client.get(f"{reverse('cases:list')}?{query}")
    assert response.status_code == 200
    assert "ne sont pas valides" in response.content.decode()


@pytest.mark.parametrize(
    "q",
    ["x" * 10_000, "école\x00", "'; DROP TABLE cases_casestudy; --", "%", "_", "\\"],
)
@pytest.mark.parametrize("url_name", ["cases:list", "practices:list", "trainings:list", "search"])
def test_odd_search_text_never_breaks_a_page(client, world, q, url_name):
    response = client.get(reverse(url_name), {"q": q})
    assert response.status_code == 200
