"""A visitor in a real browser (Debian's Chromium driven by Playwright), with axe-core on each page.

Screenshots of each page type are written to test-results/screenshots/ for review.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

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


DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def open_page(browser, viewport):
    context = browser.new_context(
        locale="fr-FR", viewport=viewport, permissions=["clipboard-read", "clipboard-write"]
    )
    return context, context.new_page()


@pytest.fixture
def page(browser):
    context, page = open_page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context, page = open_page(browser, PHONE)
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
        title="Cas breton",
        slug="cas-breton",
        territory=TerritoryFactory(region="Bretagne"),
        practices=[other],
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
    page.wait_for_url("**region=Nouvelle-Aquitaine**")
    page.get_by_label("Pratique").select_option(value="design-des-services")
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url("**region=Nouvelle-Aquitaine**")
    expect(page.locator("#resultats h2")).to_contain_text("26\u00a0résultats")
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


PAGE_TYPES = [
    ("accueil", lambda c: "/"),
    ("liste-cas", lambda c: "/cas/"),
    ("cas", lambda c: c["school"].get_absolute_url()),
    ("recherche", lambda c: "/recherche/?q=ecole"),
    ("pratique", lambda c: c["design"].get_absolute_url()),
    ("liste-pratiques", lambda c: "/pratiques/"),
    ("formation", lambda c: c["training"].get_absolute_url()),
    ("liste-formations", lambda c: "/formations/"),
    ("piste", lambda c: c["piste"].get_absolute_url()),
    ("liste-pistes", lambda c: "/pistes/"),
    ("orientation", lambda c: c["piste"].orientation.get_absolute_url()),
    ("liste-orientations", lambda c: "/orientations/"),
    ("territoire", lambda c: c["school"].territory.get_absolute_url()),
    ("territoires", lambda c: "/territoires/"),
    ("source", lambda c: c["school"].source.get_absolute_url()),
    ("sources", lambda c: "/sources/"),
    ("manques", lambda c: "/manques/"),
    ("a-propos", lambda c: "/a-propos/"),
    ("mentions-legales", lambda c: "/mentions-legales/"),
    ("accessibilite", lambda c: "/accessibilite/"),
    ("donnees", lambda c: "/donnees/"),
    ("plan-du-site", lambda c: "/plan-du-site/"),
    ("introuvable", lambda c: "/cas/nexiste-pas/"),
    ("carte", lambda c: "/carte/"),
    ("carte-departements", lambda c: "/carte/?niveau=departement"),
    ("panorama", lambda c: "/panorama/"),
]


@pytest.mark.parametrize("size", ["ordinateur", "telephone"])
@pytest.mark.parametrize("name, path", PAGE_TYPES, ids=[name for name, _ in PAGE_TYPES])
def test_every_page_type_is_accessible_on_a_computer_and_a_phone(
    live_server, browser, content, name, path, size
):
    context, page = open_page(browser, DESKTOP if size == "ordinateur" else PHONE)
    try:
        page.goto(live_server.url + path(content))
        check_accessibility(page, f"{name}-{size}")
        # Nothing sticks out sideways on a phone.
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        context.close()


def test_back_after_filtering_and_opening_a_result_shows_the_full_list_with_right_counts(
    live_server, page, content
):
    page.goto(live_server.url + "/cas/")
    page.get_by_label("Région").select_option(value="Bretagne")
    page.wait_for_url("**region=Bretagne**")
    # Only the filter in use is in the address to share.
    assert page.url.endswith("/cas/?region=Bretagne")
    expect(page.locator("#resultats h2")).to_contain_text("1\u00a0résultat")
    # The facets were swapped with the results: the practice options count Bretagne only.
    practice_options = page.locator("#id_pratique option").all_text_contents()
    assert practice_options == ["Toutes", "Budget vert (1)"]
    page.get_by_role("link", name="Cas breton").click()
    page.wait_for_url("**/cas/cas-breton/")
    page.go_back()
    page.wait_for_url("**region=Bretagne**")
    # The whole page is back: header, filters and results, not the fragment alone.
    assert page.locator("header.site-header").is_visible()
    assert page.get_by_role("heading", name="Cas", exact=True).is_visible()
    assert page.locator("#id_pratique option").all_text_contents() == ["Toutes", "Budget vert (1)"]
    assert "1\u00a0résultat" in page.locator("#resultats h2").text_content()


def test_on_a_phone_the_menu_folds_and_the_results_come_before_the_filters(
    live_server, phone, content
):
    phone.goto(live_server.url + "/cas/")
    menu = phone.get_by_role("button", name="Menu")
    assert menu.is_visible()
    assert not phone.get_by_role("link", name="Pratiques", exact=True).is_visible()
    menu.click()
    assert phone.get_by_role("link", name="Pratiques", exact=True).is_visible()
    menu.click()

    # Results first; the filters wait behind « Filtrer (0) ».
    first_result = phone.locator("#resultats article").first.bounding_box()
    assert first_result["y"] < 844
    assert not phone.get_by_label("Région").is_visible()
    phone.get_by_role("button", name="Filtrer (0)").click()
    phone.get_by_label("Région").select_option(value="Nouvelle-Aquitaine")
    phone.wait_for_url("**region=Nouvelle-Aquitaine**")
    # The panel stays open while one keeps filtering, and the choice shows as a chip.
    phone.get_by_label("Type de territoire").wait_for()
    assert phone.get_by_label("Type de territoire").is_visible()
    chip = phone.get_by_role("link", name="Région : Nouvelle-Aquitaine")
    assert phone.get_by_role("button", name="Filtrer (1)").is_visible()
    chip.click()
    expect(phone.locator("#resultats h2")).to_contain_text("27\u00a0résultats")
    assert "region" not in phone.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "liste-cas-telephone-filtres.png"), full_page=True)


def test_the_long_practice_list_can_be_searched(live_server, page, content):
    from tests.factories import PublishedCaseStudyFactory, PublishedPracticeFactory

    for number in range(16):
        PublishedCaseStudyFactory(
            practices=[PublishedPracticeFactory(title=f"Pratique numéro {number:02d}")]
        )
    page.goto(live_server.url + "/cas/")
    page.get_by_label("Chercher dans la liste « Pratique »").fill("design")
    visible = [
        option.text_content()
        for option in page.locator("#id_pratique option").all()
        if option.get_attribute("hidden") is None
    ]
    assert visible == ["Toutes", "Design des services (26)"]
    assert "pratique=" not in page.url


def test_a_visitor_cites_a_case_and_copies_its_link(live_server, page, content):
    page.goto(live_server.url + content["school"].get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name="BibTeX").click()
    assert download.value.suggested_filename == "transfo-ecole-ouverte.bib"
    page.get_by_role("button", name="Copier le lien").click()
    page.get_by_text("Lien copié dans le presse-papiers.").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == live_server.url + "/cas/ecole-ouverte/"


@pytest.mark.parametrize("size", ["ordinateur", "telephone"])
def test_screenshots_of_the_main_pages(live_server, browser, content, size):
    """For review: home, case list, case page at both sizes, under test-results/."""
    context, page = open_page(browser, DESKTOP if size == "ordinateur" else PHONE)
    try:
        for name, path in [
            ("accueil", "/"),
            ("liste-cas", "/cas/"),
            ("cas", content["school"].get_absolute_url()),
            ("carte", "/carte/"),
        ]:
            page.goto(live_server.url + path)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"ecran-{name}-{size}.png"), full_page=True)
    finally:
        context.close()


def test_a_click_on_a_region_of_the_map_opens_its_cases(live_server, page, content):
    page.goto(live_server.url + "/carte/")
    page.locator('a[href="/cas/?region=Nouvelle-Aquitaine"]').first.click()
    page.wait_for_url("**/cas/?region=Nouvelle-Aquitaine")
    expect(page.locator("#resultats h2")).to_contain_text("26\u00a0résultats")
