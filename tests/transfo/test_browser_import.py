"""An editor imports a spreadsheet in a real browser: a French Excel file (semicolons,
Windows-1252) with one bad row is refused whole and the page says where; the corrected file is
previewed field by field, then confirmed and written."""

from pathlib import Path

import pytest

from cases.models import CaseStudy
from tests.factories import (
    CaseStudyFactory,
    PublishedPracticeFactory,
    SourceFactory,
    TerritoryFactory,
)
from tests.transfo import test_browser_workspace as workspace
from tests.transfo.journeys import log_in

# The fixtures of the workspace's browser tests: browser, page, and the roles of the groups.
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

HEADER = "Slug;Type;Titre;Territoire;Résumé;Pratiques;Source;Pages;Version"


def spreadsheet(*rows):
    """As French Excel saves « CSV (séparateur : point-virgule) »: Windows-1252, CRLF."""
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode("cp1252")


def upload(page, content):
    page.locator("#id_import_file").set_input_files(
        {"name": "cas.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.locator("#id_format").select_option(label="csv")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer").click()


def test_an_editor_imports_a_french_excel_file_fixes_its_bad_row_and_confirms(
    live_server, page, editor
):
    source = SourceFactory(slug="cnfpt-2022", short_title="CNFPT 2022")
    TerritoryFactory(slug="pessac", name="Pessac")
    TerritoryFactory(slug="niort", name="Niort")
    PublishedPracticeFactory(slug="budget-participatif", title="Budget participatif")
    case = CaseStudyFactory(
        slug="ecole-ouverte",
        title="Une école ouverte",
        territory=TerritoryFactory(slug="creteil", name="Créteil"),
        summary="Un projet pour tous.",
        source=source,
    )
    updated = (
        f"ecole-ouverte;Focus;Une école ouverte;Créteil;Un projet pour tous les élèves.;"
        f"budget-participatif;cnfpt-2022;11;{case.version}"
    )
    bad = (
        "budget-niort;Cas étudié;Le budget de Niort;Niort;Un budget.;budget-inconnu;cnfpt-2022;12;"
    )
    log_in(page, live_server, editor)
    page.goto(live_server.url + "/admin/cases/casestudy/")
    with page.expect_navigation():
        page.get_by_role("link", name="Importer").click()
    assert page.get_by_role("link", name="Télécharger le modèle").is_visible()
    assert page.get_by_role("cell", name="Une de ces valeurs : Focus, Référence inspirante").count()

    upload(page, spreadsheet(updated, bad))
    workspace.check_accessibility(page, "import-problemes")
    problems = page.locator("#problemes")
    assert "Rien n’a été enregistré" in problems.inner_text()
    row = problems.locator("tbody tr")
    assert row.count() == 1
    assert [cell.strip() for cell in row.locator("td").all_inner_texts()[:3]] == [
        "3",
        "Pratiques",
        "« budget-inconnu »",
    ]
    assert "« budget-inconnu »" in row.locator("td").nth(3).inner_text()
    assert not CaseStudy.objects.filter(slug="budget-niort").exists()
    case.refresh_from_db()
    assert case.summary == "Un projet pour tous."

    upload(page, spreadsheet(updated, bad.replace("budget-inconnu", "Budget participatif")))
    workspace.check_accessibility(page, "import-apercu")
    preview = page.locator("#apercu").locator("xpath=..")
    changed = preview.locator(".import-update")
    assert "Fiche modifiée : Une école ouverte" in changed.locator("h3").inner_text()
    changes = changed.locator("tbody tr")
    assert changes.count() == 2  # the summary and the practices, nothing else
    summary = changes.filter(has=page.get_by_role("rowheader", name="Résumé", exact=True))
    # Old → new, the words that changed highlighted.
    assert summary.locator("del").inner_text() == "tous."
    assert summary.locator("ins").inner_text() == "tous les élèves."
    assert "Nouvelle fiche : Le budget de Niort" in preview.locator(".import-new").inner_text()
    assert not CaseStudy.objects.filter(slug="budget-niort").exists()  # a preview only

    submit(page, "Confirmer l’importation")
    assert "/admin/cases/casestudy/" in page.url
    assert "Importation terminée: 1 nouveaux, 1 modifiés" in message(page)
    case.refresh_from_db()
    assert case.summary == "Un projet pour tous les élèves."
    assert [p.slug for p in case.practices.all()] == ["budget-participatif"]
    created = CaseStudy.objects.get(slug="budget-niort")
    assert (created.kind, created.territory.slug) == (CaseStudy.Kind.STUDIED, "niort")
