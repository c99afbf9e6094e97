"""Editors, trainers and visitors doing their jobs in a real browser (Chromium + Playwright).

The two measured journeys print their cost (page loads, clicks) for the issue's closing note."""

import importlib
import re
from pathlib import Path

import pytest

from cases.models import CaseStudy, Contribution
from core.models import Status
from tests.factories import (
    CaseStudyFactory,
    PublishedPracticeFactory,
    PublishedTrainingFactory,
    SourceFactory,
    TerritoryFactory,
)
from tests.transfo import test_browser
from tests.transfo.journeys import Journey, log_in
from trainings.models import TrainingPractice

CHROMIUM = test_browser.CHROMIUM
check_accessibility = test_browser.check_accessibility
# The browser and page fixtures of the visitor's tests, shared.
browser = test_browser.browser
page = test_browser.page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """The groups come from data migrations, which a transactional test's flush removes."""
    from django.contrib.auth.models import Group, Permission

    first = importlib.import_module("transfo.migrations.0001_roles").ROLES
    second = importlib.import_module("transfo.migrations.0003_workspace_roles").EDITORS
    third = importlib.import_module("transfo.migrations.0004_finding_and_case_link_roles").ROLES
    roles = {
        "Éditeurs": [*first["Éditeurs"], *second, *third["Éditeurs"]],
        "Formateurs": [*first["Formateurs"], *third["Formateurs"]],
    }
    for name, codenames in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in codenames
            ]
        )


def submit(page, button):
    """Press a button that posts the page, and wait for the page that answers."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def message(page):
    return page.locator("ul.messagelist").inner_text()


def test_an_editor_creates_and_publishes_a_case_in_one_form(live_server, page, editor):
    PublishedPracticeFactory(title="Budget participatif")
    SourceFactory(short_title="CNFPT 2022")
    log_in(page, live_server, editor)
    journey = Journey(page)
    page.goto(live_server.url + "/admin/")
    journey.click(page.get_by_role("link", name="Ajouter un cas"))
    journey.select(page.locator("#id_kind"), label="Focus")
    # Typed key by key, as a person does: the slug follows the title.
    page.locator("#id_title").press_sequentially("Un budget participatif à Niort")
    assert page.locator("#id_slug").input_value() == "un-budget-participatif-a-niort"
    # A new territory from the case form, without typing its slug.
    with page.expect_popup() as popup_info:
        journey.click(page.locator("#add_id_territory"))
    popup = popup_info.value
    popup.wait_for_load_state()
    popup.locator("#id_name").press_sequentially("Niort")
    assert popup.locator("#id_slug").input_value() == "niort"
    journey.select(popup.locator("#id_kind"), label="Commune")
    journey.click(popup.get_by_role("button", name="Enregistrer", exact=True))
    popup.wait_for_event("close")
    journey.autocomplete(page, "id_practice_links-0-practice", "Budget participatif")
    journey.autocomplete(page, "id_source", "CNFPT 2022")
    page.locator("#id_pages").fill("12")
    journey.click(page.get_by_role("button", name="Enregistrer et publier"))
    page.wait_for_url(re.compile(r"/admin/cases/casestudy/\d+/change/"))
    assert "La fiche est publiée" in message(page)
    assert page.locator(".badge-statut").inner_text() == "Publié"
    case = CaseStudy.objects.get()
    assert (case.status, case.territory.slug) == (Status.PUBLISHED, "niort")
    print("\nAPRÈS — créer et publier un cas :", journey.summary())


def test_a_case_is_created_submitted_then_published_after_fixing_what_was_missing(
    live_server, page, editor
):
    PublishedPracticeFactory(title="Budget participatif")
    SourceFactory(short_title="CNFPT 2022")
    TerritoryFactory(name="Créteil")
    log_in(page, live_server, editor)
    page.goto(live_server.url + "/admin/cases/casestudy/add/")
    page.locator("#id_kind").select_option(label="Cas étudié")
    page.locator("#id_title").fill("Un laboratoire d’innovation")
    Journey(page).autocomplete(page, "id_source", "CNFPT 2022")
    page.locator("#id_section").fill("Encadré 3")
    submit(page, "Enregistrer et continuer les modifications")
    assert page.locator(".badge-statut").inner_text() == "Brouillon"
    problems = page.locator(".workflow .problems").inner_text()
    assert "Indiquez le territoire" in problems and "au moins une pratique" in problems

    page.get_by_label("Commentaire pour l’historique").fill("Premier jet")
    submit(page, "Soumettre à relecture")
    assert page.locator(".badge-statut").inner_text() == "À relire"

    # Publishing now is refused, with the list of what to fix.
    submit(page, "Publier")
    assert "Pour publier, il reste à corriger" in message(page)
    assert page.locator(".badge-statut").inner_text() == "À relire"

    # The queue on the home page leads back to it; the editor completes and publishes.
    page.goto(live_server.url + "/admin/")
    page.locator("#a-relire").locator("xpath=..").get_by_role(
        "link", name="Un laboratoire d’innovation"
    ).click()
    Journey(page).autocomplete(page, "id_territory", "creteil", choose="Créteil")
    Journey(page).autocomplete(page, "id_practice_links-0-practice", "Budget participatif")
    submit(page, "Enregistrer et continuer les modifications")
    page.get_by_label("Commentaire pour l’historique").fill("Relu, complet")
    submit(page, "Publier")
    assert page.locator(".badge-statut").inner_text() == "Publié"
    assert "vos modifications seront visibles sur le site dès l’enregistrement" in page.content()
    reasons = list(CaseStudy.objects.get().history.values_list("history_change_reason", flat=True))
    assert "Relu, complet" in reasons and "Premier jet" in reasons


def test_an_editor_compares_two_versions_and_restores_the_first(live_server, page, editor):
    case = CaseStudyFactory(title="Une école ouverte", summary="Un projet pour tous.")
    case.summary = "Un projet <b>réservé</b>."
    case._history_user = editor
    case.save()
    log_in(page, live_server, editor)
    page.goto(live_server.url + f"/admin/cases/casestudy/{case.pk}/history/")
    assert page.get_by_role("cell", name=re.compile("Résumé")).count() == 1
    # The two latest versions are chosen by default; compare them.
    page.get_by_role("button", name="Comparer deux versions").click()
    page.wait_for_url("**/history/comparer/**")
    assert page.locator("del", has_text="pour tous.").count() == 1
    assert page.locator("ins", has_text="<b>réservé</b>.").count() == 1  # shown, not rendered
    page.go_back()
    page.wait_for_url("**/history/")
    page.get_by_role("link", name="Rétablir cette version").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Rétablir cette version").first.click()
    case.refresh_from_db()
    assert case.summary == "Un projet pour tous."


def test_a_contribution_lands_in_the_review_queue_and_a_bot_does_not(live_server, page, editor):
    PublishedPracticeFactory(title="Budget participatif")
    page.goto(live_server.url + "/proposer/")
    check_accessibility(page, "proposer")
    page.get_by_label("Votre collectivité").fill("Ville de Niort")
    page.get_by_label("Titre de l’expérience").fill("Le budget participatif des écoles")
    page.get_by_label("Pratique mise en œuvre").select_option(label="Budget participatif")
    page.get_by_label("Ce qui a été fait").fill("Les élèves votent pour des projets.")
    page.get_by_label("Les résultats").fill("Douze projets réalisés.")
    page.get_by_label("Votre adresse e-mail").fill("camille@niort.example")
    page.get_by_label("J’accepte que ce texte soit publié").check()
    page.get_by_role("button", name="Envoyer ma proposition").click()
    page.wait_for_url("**/proposer/merci/")
    assert page.get_by_role(
        "heading", name="Merci, votre proposition est bien arrivée"
    ).is_visible()
    check_accessibility(page, "proposer-merci")

    # A robot fills every field, the hidden one too: thanked, nothing kept.
    page.goto(live_server.url + "/proposer/")
    page.get_by_label("Votre collectivité").fill("Spam")
    page.get_by_label("Titre de l’expérience").fill("Achetez")
    page.get_by_label("Ce qui a été fait").fill("Promo")
    page.get_by_label("Votre adresse e-mail").fill("bot@spam.example")
    page.get_by_label("J’accepte que ce texte soit publié").check()
    page.locator("#id_website").fill("http://spam.example", force=True)
    page.get_by_role("button", name="Envoyer ma proposition").click()
    page.wait_for_url("**/proposer/merci/")
    assert Contribution.objects.count() == 1

    # Nothing is public; the editor finds it in the queue and sees who proposed it.
    page.goto(live_server.url + "/cas/")
    assert "Le budget participatif des écoles" not in page.content()
    log_in(page, live_server, editor)
    page.goto(live_server.url + "/admin/")
    queue = page.locator("#a-relire").locator("xpath=..")
    assert "Achetez" not in queue.inner_text()
    queue.get_by_role("link", name="Le budget participatif des écoles").click()
    assert (
        "camille@niort.example"
        in page.locator("#contribution-title").locator("xpath=..").inner_text()
    )


def test_a_trainer_links_a_training_from_the_gaps_panel(live_server, page, trainer):
    practice = PublishedPracticeFactory(title="Budget vert")
    PublishedTrainingFactory(title="Piloter un budget vert")
    log_in(page, live_server, trainer)
    journey = Journey(page)
    page.goto(live_server.url + "/admin/")
    panel = page.locator("#sans-formation").locator("xpath=..")
    journey.click(panel.get_by_role("link", name="Lier une formation à « Budget vert »"))
    page.wait_for_url("**/trainingpractice/add/?practice=*")
    journey.autocomplete(page, "id_training", "Piloter un budget vert")
    page.get_by_label("Raison du lien").fill("Le module 1 traite du budget vert.")
    journey.click(page.get_by_role("button", name="Enregistrer", exact=True))
    page.wait_for_url(live_server.url + "/admin/")
    assert "est liée à la pratique « Budget vert »" in message(page)
    assert "Budget vert" not in page.locator("#sans-formation").locator("xpath=..").inner_text()
    assert TrainingPractice.objects.get().practice == practice
    print("\nAPRÈS — lier une formation à une pratique sans formation :", journey.summary())
