"""A visitor in a real browser (Debian's Chromium driven by Playwright), with axe-core on each page.

Screenshots of each page type are written to test-results/screenshots/ for review.
"""

import os
import shutil
from pathlib import Path

import pytest

from cases.models import Territory
from tests.factories import (
    PublishedCaseStudyFactory,
    PublishedPisteFactory,
    PublishedPracticeFactory,
    PublishedTrainingFactory,
    TerritoryFactory,
    ThemeFactory,
    TrainingPracticeFactory,
)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]


@pytest.fixture(scope="module")
def browser():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def content(db):
    theme = ThemeFactory(name="Éducation", slug="education")
    design = PublishedPracticeFactory(
        title="Design des services", slug="design-des-services", themes=[theme]
    )
    other = PublishedPracticeFactory(title="Budget vert", slug="budget-vert")
    training = PublishedTrainingFactory(
        title="La démarche de design de services", slug="demarche-design"
    )
    TrainingPracticeFactory(training=training, practice=design, reason="Encadré innovation")
    piste = PublishedPisteFactory(title="Les guichets pro-actifs", practices=[design])
    gironde = TerritoryFactory(
        name="Pessac", slug="pessac", region="Nouvelle-Aquitaine", departement="Gironde"
    )
    school = PublishedCaseStudyFactory(
        title="Une école ouverte sur son quartier",
        slug="ecole-ouverte",
        territory=gironde,
        practices=[design],
        themes=[theme],
        pistes=[piste],
        summary="Un cas pour le parcours du visiteur.",
    )
    # Enough cases in the région with the practice to need two pages of results.
    for number in range(25):
        PublishedCaseStudyFactory(
            title=f"Cas girondin {number:02d}",
            territory=TerritoryFactory(
                region="Nouvelle-Aquitaine", departement="Gironde", kind=Territory.Kind.COMMUNE
            ),
            practices=[design],
        )
    PublishedCaseStudyFactory(
        title="Cas breton", territory=TerritoryFactory(region="Bretagne"), practices=[other]
    )
    return {"school": school, "training": training, "design": design, "piste": piste}


def check_accessibility(page, name):
    from axe_playwright_python.sync_playwright import Axe

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    results = Axe().run(page)
    serious = [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert serious == [], f"{name}: {serious}"


def test_a_visitor_searches_filters_reads_and_navigates(live_server, page, content):
    page.goto(live_server.url + "/")
    check_accessibility(page, "accueil")

    # Search without the accent.
    page.get_by_label("Rechercher", exact=True).fill("ecole")
    page.get_by_role("button", name="Rechercher").last.click()
    page.wait_for_url("**/recherche/?q=ecole")
    assert page.get_by_role("link", name="Une école ouverte sur son quartier").is_visible()
    check_accessibility(page, "recherche")

    # Filter the case list by région and practice, with the plain form (htmx updates in place).
    page.goto(live_server.url + "/cas/")
    page.get_by_label("Région").select_option(value="Nouvelle-Aquitaine")
    page.get_by_label("Pratique").select_option(value="design-des-services")
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url("**region=Nouvelle-Aquitaine**")
    page.wait_for_function(
        "document.querySelector('#resultats h2').textContent.includes('26 résultats')"
    )
    assert "Cas breton" not in page.content()
    check_accessibility(page, "liste-cas")

    # Page through the results: the filters are kept.
    page.get_by_role("link", name="Suivante").click()
    page.wait_for_url("**page=2**")
    assert "region=Nouvelle-Aquitaine" in page.url and "pratique=design-des-services" in page.url
    assert page.locator("#resultats li article").count() == 6

    # Open a case, follow a link to a training, and come back.
    page.goto(live_server.url + content["school"].get_absolute_url())
    check_accessibility(page, "cas")
    assert page.get_by_text("Source :").is_visible()
    page.get_by_role("link", name="La démarche de design de services").click()
    page.wait_for_url("**/formations/demarche-design/")
    check_accessibility(page, "formation")
    page.go_back()
    page.wait_for_url("**/cas/ecole-ouverte/")
    assert page.get_by_role("heading", name="Une école ouverte sur son quartier").is_visible()


@pytest.mark.parametrize(
    "name, path",
    [
        ("pratique", lambda c: c["design"].get_absolute_url()),
        ("liste-pratiques", lambda c: "/pratiques/"),
        ("liste-formations", lambda c: "/formations/"),
        ("piste", lambda c: c["piste"].get_absolute_url()),
        ("liste-pistes", lambda c: "/pistes/"),
        ("orientation", lambda c: c["piste"].orientation.get_absolute_url()),
        ("liste-orientations", lambda c: "/orientations/"),
        ("territoire", lambda c: c["school"].territory.get_absolute_url()),
        ("source", lambda c: c["school"].source.get_absolute_url()),
        ("sources", lambda c: "/sources/"),
        ("manques", lambda c: "/manques/"),
        ("introuvable", lambda c: "/cas/nexiste-pas/"),
    ],
)
def test_every_page_type_is_accessible(live_server, page, content, name, path):
    page.goto(live_server.url + path(content))
    check_accessibility(page, name)
