"""Two editors on the same case in real browsers: when they changed different fields, both
changes are kept and the second is told; when they changed the same field, nothing is saved,
both values are shown and the second editor's input is kept for them to decide."""

from pathlib import Path

import pytest

from cases.models import CaseStudy
from tests.conftest import staff_member
from tests.factories import CaseStudyFactory
from tests.transfo import test_browser_workspace as workspace
from tests.transfo.journeys import log_in

browser = workspace.browser
page = workspace.page
roles = workspace.roles
message = workspace.message
submit = workspace.submit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(workspace.CHROMIUM).exists(), reason="Chromium is not installed"),
]


@pytest.fixture
def colleague_page(browser, live_server):
    """A second editor, in a browser of their own."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    colleague_page = context.new_page()
    log_in(colleague_page, live_server, staff_member("collegue", "Éditeurs"))
    yield colleague_page
    context.close()


@pytest.fixture
def case():
    return CaseStudyFactory(
        title="Une école ouverte", summary="Un projet pour tous.", results="À mesurer."
    )


def open_case(page, live_server, case):
    page.goto(f"{live_server.url}/admin/cases/casestudy/{case.pk}/change/")


def test_changes_to_different_fields_are_merged_and_said(
    live_server, page, colleague_page, editor, case
):
    log_in(page, live_server, editor)
    open_case(page, live_server, case)
    open_case(colleague_page, live_server, case)

    colleague_page.locator("#id_results").fill("Deux cents familles accueillies.")
    submit(colleague_page, "Enregistrer")
    page.locator("#id_summary").fill("Un projet ouvert le soir.")
    submit(page, "Enregistrer")

    assert "son changement du champ « résultats » a été conservé avec les vôtres" in message(page)
    case.refresh_from_db()
    assert (case.summary, case.results) == (
        "Un projet ouvert le soir.",
        "Deux cents familles accueillies.",
    )


def test_a_change_to_the_same_field_shows_both_values_and_keeps_the_input(
    live_server, page, colleague_page, editor, case
):
    log_in(page, live_server, editor)
    open_case(page, live_server, case)
    open_case(colleague_page, live_server, case)

    colleague_page.locator("#id_summary").fill("La version de la collègue.")
    submit(colleague_page, "Enregistrer")
    page.locator("#id_summary").fill("Ma version.")
    submit(page, "Enregistrer")

    page_text = page.locator("#content").inner_text()
    assert "a changé le même champ que vous : « résumé ». Rien n’a été enregistré." in page_text
    assert "« La version de la collègue. »" in page_text  # theirs, beside the field
    assert page.locator("#id_summary").input_value() == "Ma version."  # mine, kept
    assert CaseStudy.objects.get().summary == "La version de la collègue."

    # Saving again is choosing one's own input, over the colleague's version.
    submit(page, "Enregistrer")
    assert CaseStudy.objects.get().summary == "Ma version."
