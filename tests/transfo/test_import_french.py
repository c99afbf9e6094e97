"""Imports in French: the export's French headers and labels read back, links by slug or name,
every problem located (line as the spreadsheet shows it, column, value, what is expected), a
preview field by field, a template to fill, and hostile files answered in French."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStudy
from cases.resources import CaseStudyResource
from core.imports import MAX_IMPORT_BYTES, SpreadsheetCSV
from practices.models import Practice, Status
from practices.resources import PracticeResource
from tests.factories import (
    PracticeFactory,
    PublishedCaseStudyFactory,
    PublishedPracticeFactory,
    PublishedTrainingFactory,
    SourceFactory,
    TerritoryFactory,
    ThemeFactory,
)
from tests.transfo.test_import_rights import import_url, process_url
from trainings.models import Training
from trainings.resources import TrainingResource

pytestmark = pytest.mark.django_db


def dataset(text, encoding="utf-8"):
    return SpreadsheetCSV().create_dataset(text.encode(encoding))


def run(resource, text, dry_run=True):
    return resource.import_data(dataset(text), dry_run=dry_run, raise_errors=False)


def problems(result):
    return [(p.line, p.column, p.value, p.message) for p in result.problems]


def upload(client, model, text, encoding="utf-8", name="import.csv"):
    return client.post(
        import_url(model),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile(name, text.encode(encoding)),
        },
    )


def confirm(client, model, preview):
    form = preview.context["confirm_form"]
    return client.post(process_url(model), {name: form[name].value() for name in form.fields})


@pytest.fixture
def source():
    return SourceFactory(slug="cnfpt-2022", short_title="CNFPT 2022")


# Headers


def test_the_import_reads_the_french_headers_whatever_their_capitals_and_accents(source):
    text = (
        "SLUG;titre;FAMILLE;resume;Source;Pages;Version\n"
        "budget-vert;Budget vert;Fonctions supports;Un résumé;cnfpt-2022;38;\n"
    )
    result = run(PracticeResource(), text, dry_run=False)
    assert result.problems == []
    practice = Practice.objects.get()
    assert (practice.title, practice.family, practice.summary) == (
        "Budget vert",
        Practice.Family.SUPPORT,
        "Un résumé",
    )


def test_an_unknown_header_is_named_with_the_accepted_ones_and_nothing_is_written(source):
    text = (
        "Slug;Titre;Famile;Source;Pages\nbudget-vert;Budget vert;Fonctions supports;cnfpt-2022;38\n"
    )
    result = run(PracticeResource(), text, dry_run=False)
    [problem] = result.problems
    assert (problem.line, problem.message) == (
        1,
        "La colonne « Famile » n’est pas une colonne connue.",
    )
    assert "Famille" in problem.expected and "Titre" in problem.expected
    assert not Practice.objects.exists()


def test_a_column_twice_or_a_file_without_slugs_is_refused(source):
    twice = run(PracticeResource(), "Slug;Titre;title\nx;A;B\n")
    assert [p.message for p in twice.problems] == ["La colonne « Titre » apparaît plusieurs fois."]
    without_slug = run(PracticeResource(), "Titre;Résumé\nA;B\n")
    assert [p.message for p in without_slug.problems] == [
        "La colonne « Slug » manque : elle désigne la fiche que chaque ligne crée ou modifie."
    ]


def test_empty_columns_a_spreadsheet_leaves_at_the_end_are_no_column(source):
    text = "Slug;Titre;Famille;Source;Pages;;\nbudget-vert;Budget vert;Fonctions supports;cnfpt-2022;38;;\n"
    assert run(PracticeResource(), text, dry_run=False).problems == []
    assert Practice.objects.filter(slug="budget-vert").exists()


def test_values_under_no_header_are_refused(source):
    text = "Slug;Titre;\nbudget-vert;Budget vert;quelque chose\n"
    assert [p.message for p in run(PracticeResource(), text).problems] == [
        "La colonne 3 n’a pas d’en-tête mais contient des valeurs."
    ]


# Labels and names


@pytest.mark.parametrize("written", ["Référence inspirante", "reference", "REFERENCE INSPIRANTE"])
def test_the_type_of_case_is_read_from_its_label_or_its_code(source, written):
    TerritoryFactory(slug="pessac", name="Pessac")
    text = (
        f"Slug;Type;Titre;Territoire;Source;Pages\naccueil;{written};Accueil;pessac;cnfpt-2022;12\n"
    )
    assert run(CaseStudyResource(), text, dry_run=False).problems == []
    assert CaseStudy.objects.get().kind == CaseStudy.Kind.REFERENCE


def test_the_status_is_read_from_publie_or_published():
    resource = PracticeResource()
    widget = resource.fields["status"].widget
    assert widget.clean("Publié") == widget.clean("published") == widget.clean("publie")
    assert widget.clean("Publié") == Status.PUBLISHED
    assert widget.render(Status.REVIEW) == "À relire"


def test_links_are_read_from_a_slug_or_a_name_held_by_one_record(source):
    TerritoryFactory(slug="ville-de-pessac", name="Pessac")
    PracticeFactory(slug="budget-vert", title="Budget vert")
    PracticeFactory(slug="tiers-lieux", title="Tiers-lieux")
    text = (
        "Slug;Type;Titre;Territoire;Pratiques;Source;Pages\n"
        "accueil;Focus;Accueil;pessac;budget vert|tiers-lieux;CNFPT 2022;12\n"
    )
    assert run(CaseStudyResource(), text, dry_run=False).problems == []
    case = CaseStudy.objects.get()
    assert case.territory.slug == "ville-de-pessac"
    assert sorted(case.practices.values_list("slug", flat=True)) == ["budget-vert", "tiers-lieux"]
    assert case.source == source


def test_a_name_two_records_share_is_refused_with_their_slugs(source):
    TerritoryFactory(slug="saint-denis-93", name="Saint-Denis")
    TerritoryFactory(slug="saint-denis-974", name="Saint-Denis")
    text = (
        "Slug;Type;Titre;Territoire;Source;Pages\naccueil;Focus;Accueil;Saint-Denis;cnfpt-2022;12\n"
    )
    [problem] = run(CaseStudyResource(), text).problems
    assert (problem.line, problem.column, problem.value) == (2, "Territoire", "Saint-Denis")
    assert "« saint-denis-93 », « saint-denis-974 »" in problem.message


# Every kind of error names line, column, value and what is expected


def test_an_unknown_slug_in_a_link_is_located_and_never_dropped(source):
    kept = PublishedPracticeFactory(slug="budget-vert")
    case = PublishedCaseStudyFactory(practices=[kept])
    text = (
        "Slug;Titre;Pratiques;Version\n"
        f"{case.slug};{case.title};budget-vert|budget-inconnu;{case.version}\n"
    )
    result = run(CaseStudyResource(), text, dry_run=False)
    [problem] = result.problems
    assert (problem.line, problem.column, problem.value) == (
        2,
        "Pratiques",
        "budget-vert|budget-inconnu",
    )
    assert "« budget-inconnu »" in problem.message
    assert "séparés par « | »" in problem.expected
    assert list(case.practices.all()) == [kept]


def test_a_bad_choice_is_located_with_the_values_allowed(source):
    text = (
        "Slug;Titre;Famille;Source;Pages\n"
        "a;A;Fonctions supports;cnfpt-2022;1\n"
        "b;B;Fonction financière;cnfpt-2022;2\n"
    )
    [problem] = run(PracticeResource(), text).problems
    assert (problem.line, problem.column, problem.value) == (3, "Famille", "Fonction financière")
    assert problem.message.startswith("« Fonction financière » n’est pas une valeur possible.")
    assert "Fonctions supports" in problem.message and "Obligatoire." in problem.expected


def test_a_missing_required_column_or_value_is_located(source):
    text = "Slug;Titre;Source;Pages\nbudget-vert;;cnfpt-2022;1\n"
    found = {(p.line, p.column, p.value, p.message) for p in run(PracticeResource(), text).problems}
    assert found == {
        (2, "Titre", "", "La valeur manque : elle est obligatoire."),
        (2, "Famille", None, "Cette colonne est obligatoire pour créer une fiche."),
    }


def test_a_too_long_text_is_located(source):
    title = "T" * 301
    text = f"Slug;Titre;Famille;Source;Pages\nlong;{title};Fonctions supports;cnfpt-2022;1\n"
    [problem] = run(PracticeResource(), text).problems
    assert (problem.line, problem.column) == (2, "Titre")
    assert problem.value.endswith("…") and len(problem.value) == 80
    assert "300 caractères" in problem.message
    assert problem.expected.startswith("Un texte de 300 caractères au plus.")


@pytest.mark.parametrize("written", ["vers 2019", "2019,5", "deux mille"])
def test_a_bad_number_is_located(source, written):
    text = (
        "Slug;Type;Titre;Année de début;Source;Pages\n"
        f"accueil;Focus;Accueil;{written};cnfpt-2022;12\n"
    )
    [problem] = run(CaseStudyResource(), text).problems
    assert (problem.line, problem.column, problem.value) == (2, "Année de début", written)
    assert problem.message == f"« {written} » n’est pas un nombre entier (exemple : 2019)."


def test_numbers_are_read_as_french_spreadsheets_write_them():
    training = PublishedTrainingFactory(duration_days="2")
    text = f"Slug;Durée (jours);Version\n{training.slug};2,5;{training.version}\n"
    assert run(TrainingResource(), text, dry_run=False).problems == []
    training.refresh_from_db()
    assert training.duration_days == Decimal("2.5")


def test_a_version_conflict_is_located():
    practice = PublishedPracticeFactory(summary="Ancien")
    text = f"Slug;Résumé;Version\n{practice.slug};Importé;{practice.version}\n"
    practice.summary = "Corrigé entre-temps"
    practice.save()
    [problem] = run(PracticeResource(), text, dry_run=False).problems
    assert (problem.line, problem.column, problem.value) == (2, "Version", "1")
    assert "a été modifiée depuis votre export" in problem.message
    assert Practice.objects.get().summary == "Corrigé entre-temps"


def test_a_record_twice_in_the_file_is_refused_at_its_second_line(source):
    text = (
        "Slug;Titre;Famille;Source;Pages\n"
        "budget-vert;Budget vert;Fonctions supports;cnfpt-2022;1\n"
        "budget-vert;Budget vert bis;Fonctions supports;cnfpt-2022;2\n"
    )
    result = run(PracticeResource(), text, dry_run=False)
    assert problems(result) == [
        (
            3,
            "Slug",
            "budget-vert",
            "Cette fiche est déjà à la ligne 2 : une fiche ne peut être qu’une fois dans le "
            "fichier.",
        )
    ]
    assert not Practice.objects.exists()


# The preview, field by field


def test_an_update_is_previewed_as_its_changes_only(editor_client):
    changed = PublishedPracticeFactory(title="Budget vert", summary="Ancien résumé")
    same = PublishedPracticeFactory(title="Tiers-lieux")
    text = (
        "Slug;Titre;Résumé;Famille;Source;Pages;Version\n"
        f"{changed.slug};Budget vert;Nouveau résumé;{changed.get_family_display()};"
        f"{changed.source.slug};11;{changed.version}\n"
        f"{same.slug};Tiers-lieux;{same.summary};{same.get_family_display()};"
        f"{same.source.slug};11;{same.version}\n"
        f"nouvelle;Nouvelle pratique;Un résumé;Fonction innovation;{same.source.slug};12;\n"
    )
    preview = upload(editor_client, Practice, text)
    rows = {row.object_repr: row for row in preview.context["result"].valid_rows()}
    changes = [(c.label, str(c.old), str(c.new)) for c in rows["Budget vert"].diff]
    assert changes == [
        ("Résumé", "<del>Ancien</del> résumé", "<ins>Nouveau</ins> résumé"),
    ]
    assert rows["Budget vert"].import_type == "update"
    assert (rows["Tiers-lieux"].import_type, rows["Tiers-lieux"].diff) == ("skip", [])
    assert rows["Nouvelle pratique"].import_type == "new"
    assert ("Famille", "Fonction innovation") in [
        (c.label, str(c.new)) for c in rows["Nouvelle pratique"].diff
    ]
    page = preview.content.decode()
    assert "Fiche modifiée" in page and "Fiche inchangée" in page and "Nouvelle fiche" in page
    assert Practice.objects.count() == 2  # a preview writes nothing
    assert confirm(editor_client, Practice, preview).status_code == 302
    changed.refresh_from_db()
    assert changed.summary == "Nouveau résumé" and Practice.objects.count() == 3


def test_a_record_saved_between_preview_and_confirmation_is_refused_not_reported_done(
    editor_client,
):
    practice = PublishedPracticeFactory(summary="Ancien résumé")
    text = f"Slug;Résumé;Version\n{practice.slug};Nouveau résumé;{practice.version}\n"
    preview = upload(editor_client, Practice, text)
    practice.summary = "Corrigé entre-temps"
    practice.save()
    response = confirm(editor_client, Practice, preview)
    assert response.status_code == 200  # not the redirect of a done import
    page = response.content.decode()
    assert "Rien n’a été enregistré" in page and "a été modifiée depuis votre export" in page
    assert Practice.objects.get().summary == "Corrigé entre-temps"


# The template and the import page


def test_the_template_holds_the_french_headers_the_person_may_import(editor_client):
    response = editor_client.get(reverse("admin:cases_casestudy_import_template"))
    assert response["Content-Disposition"] == 'attachment; filename="modele-import-cas.csv"'
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffSlug;Type;Titre;Territoire;")
    assert body.count("\r\n") == 1  # the headers, no example row
    assert ";Pratiques;" in body  # edited in the form's inline, imported too
    assert "Statut" not in body  # the status changes through the workflow only


def test_the_import_page_links_the_template_and_explains_each_column(editor_client):
    page = editor_client.get(import_url(CaseStudy)).content.decode()
    assert "Télécharger le modèle" in page
    assert reverse("admin:cases_casestudy_import_template") in page
    assert "Une de ces valeurs : Focus, Référence inspirante" in page
    imported = page.split("importer les champs suivants")[1].split("</p>")[0]
    assert "Pratiques" in imported and "Statut" not in imported
    assert "Les autres colonnes de l’export (Statut) sont acceptées" in page


def test_a_trainer_gets_no_template_of_cases(trainer_client):
    assert trainer_client.get(reverse("admin:cases_casestudy_import_template")).status_code == 403


def test_an_editor_imports_the_filled_template(editor_client, source):
    ThemeFactory(slug="evaluation", name="Évaluation")
    template = editor_client.get(reverse("admin:practices_practice_import_template"))
    headers = template.content.decode("utf-8-sig").strip().split(";")
    values = {
        "Slug": "budget-vert",
        "Titre": "Budget vert",
        "Famille": "Fonctions supports",
        "Thèmes": "Évaluation",
        "Source": "cnfpt-2022",
        "Pages": "38",
    }
    row = ";".join(values.get(header, "") for header in headers)
    preview = upload(editor_client, Practice, ";".join(headers) + "\n" + row + "\n", "cp1252")
    assert confirm(editor_client, Practice, preview).status_code == 302
    practice = Practice.objects.get()
    assert [theme.slug for theme in practice.themes.all()] == ["evaluation"]


def test_an_editor_imports_the_practices_of_a_case(editor_client):
    """They are edited in an inline of the case form: the import ignored them silently."""
    practice = PublishedPracticeFactory(slug="budget-vert")
    case = PublishedCaseStudyFactory()
    text = f"Slug;Pratiques;Version\n{case.slug};budget-vert;{case.version}\n"
    preview = upload(editor_client, CaseStudy, text)
    assert confirm(editor_client, CaseStudy, preview).status_code == 302
    assert list(case.practices.all()) == [practice]


# Exports


def test_the_export_has_french_headers_labels_a_bom_and_a_dated_name(editor_client):
    PublishedCaseStudyFactory(title="Accueil à Pessac", kind=CaseStudy.Kind.STUDIED)
    form = editor_client.get(reverse("admin:cases_casestudy_export")).context["form"]
    every_column = {name: "on" for name in form.fields if name.startswith("casestudyresource_")}
    response = editor_client.post(
        reverse("admin:cases_casestudy_export"), {"format": "0", "resource": "0", **every_column}
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="cas-{timezone.localdate().isoformat()}.csv"'
    )
    assert response.content.startswith("\ufeff".encode())
    header, row = response.content.decode("utf-8-sig").splitlines()[:2]
    assert header.startswith("Slug;Type;Titre;Territoire;")  # as French Excel splits it
    assert "Cas étudié" in row and "Publié" in row and "cas-etudie" not in row


def test_the_export_form_names_the_columns_in_french(editor_client):
    page = editor_client.get(reverse("admin:cases_casestudy_export")).content.decode()
    assert "Chiffres et faits clés" in page and "Key Facts" not in page


def test_an_export_imported_back_changes_nothing():
    practice = PublishedPracticeFactory(themes=[ThemeFactory()])
    exported = PracticeResource().export(queryset=Practice.objects.all()).csv
    result = run(PracticeResource(), exported, dry_run=False)
    assert result.problems == []
    assert [row.import_type for row in result.valid_rows()] == ["skip"]
    assert Practice.objects.get().version == practice.version


# Hostile files


def test_a_formula_is_kept_as_text_and_exported_harmless(editor_client, source):
    text = (
        "Slug;Titre;Famille;Source;Pages\n"
        "formule;=cmd|' /C calc'!A0;Fonctions supports;cnfpt-2022;1\n"
    )
    preview = upload(editor_client, Practice, text)
    assert confirm(editor_client, Practice, preview).status_code == 302
    assert Practice.objects.get().title == "=cmd|' /C calc'!A0"
    exported = PracticeResource().export(queryset=Practice.objects.all()).csv
    assert "'=cmd" in exported


def test_a_file_too_big_is_refused_in_french(editor_client):
    text = "Slug;Titre\n" + "x;" + "a" * (MAX_IMPORT_BYTES + 10) + "\n"
    response = upload(editor_client, Practice, text)
    assert response.status_code == 200
    assert "un import en accepte 5 au plus" in response.content.decode()
    assert "confirm_form" not in response.context


@pytest.mark.parametrize(
    "content",
    [b"\x00\x01\x02PK\x03\x04\xff\xfe binaire", bytes(range(256)) * 4],
    ids=["nul-bytes", "every-byte"],
)
def test_binary_junk_is_answered_in_french(editor_client, content):
    response = editor_client.post(
        import_url(Practice),
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("x.csv", content)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "ne se lit pas comme un tableau" in page or "pose problème" in page
    assert "Error" not in page and "Traceback" not in page
    assert not Practice.objects.exists()


def test_an_empty_file_or_a_header_alone_is_answered_in_french(editor_client):
    empty = upload(editor_client, Practice, "")
    assert "Le fichier soumis est vide." in empty.content.decode()
    header_only = upload(editor_client, Practice, "Slug;Titre\n")
    assert "Pas de données valides importables" in header_only.content.decode()
    assert not Practice.objects.exists()


def test_a_trainer_cannot_change_a_training_status_through_import(trainer_client):
    training = PublishedTrainingFactory(title="Ancien titre")
    text = (
        f"Slug;Titre;Statut;Version\n{training.slug};Nouveau titre;Brouillon;{training.version}\n"
    )
    preview = upload(trainer_client, Training, text)
    assert confirm(trainer_client, Training, preview).status_code == 302
    training.refresh_from_db()
    assert (training.title, training.status) == ("Nouveau titre", Status.PUBLISHED)


def test_an_xlsx_export_imports_back_unchanged_and_its_numbers_are_read(editor_client):
    case = PublishedCaseStudyFactory(year_start=2019, practices=[PublishedPracticeFactory()])
    form = editor_client.get(reverse("admin:cases_casestudy_export")).context["form"]
    every_column = {name: "on" for name in form.fields if name.startswith("casestudyresource_")}
    exported = editor_client.post(
        reverse("admin:cases_casestudy_export"), {"format": "1", "resource": "0", **every_column}
    )
    preview = editor_client.post(
        import_url(CaseStudy),
        {
            "resource": "0",
            "format": "1",
            "import_file": SimpleUploadedFile("cas.xlsx", exported.content),
        },
    )
    [row] = preview.context["result"].valid_rows()
    assert (row.import_type, row.diff) == ("skip", [])
    case.refresh_from_db()
    assert case.year_start == 2019


def test_a_csv_sent_as_xlsx_is_answered_in_french(editor_client):
    response = editor_client.post(
        import_url(Practice),
        {
            "resource": "0",
            "format": "1",
            "import_file": SimpleUploadedFile("pratiques.xlsx", b"Slug;Titre\nx;y\n"),
        },
    )
    assert "ne se lit pas comme un tableau" in response.content.decode()


def test_a_file_of_too_many_rows_is_refused_before_any_row_is_read():
    text = "Slug;Titre\n" + "".join(f"pratique-{n};Titre {n}\n" for n in range(1_001))
    result = run(PracticeResource(), text, dry_run=False)
    assert [p.message for p in result.problems] == [
        "Le fichier a 1001 lignes ; un import en accepte 1000 au plus."
    ]
    assert not Practice.objects.exists()


def test_a_trainers_template_holds_the_training_columns_their_role_may_edit(trainer_client):
    response = trainer_client.get(reverse("admin:trainings_training_import_template"))
    headers = response.content.decode("utf-8-sig").strip().split(";")
    assert headers[:3] == ["Slug", "Titre", "Durée (jours)"] and headers[-1] == "Version"
    assert "Statut" not in headers


def test_an_unforeseen_failure_is_said_in_french_without_its_technical_details(
    editor_client, monkeypatch
):
    def fail(*args, **kwargs):
        raise RuntimeError("détail technique interne")

    monkeypatch.setattr(PracticeResource, "save_instance", fail)
    practice = PublishedPracticeFactory(summary="Ancien résumé")
    text = f"Slug;Résumé;Version\n{practice.slug};Nouveau résumé;{practice.version}\n"
    response = upload(editor_client, Practice, text)
    page = response.content.decode()
    assert "Cette ligne n’a pas pu être enregistrée (erreur inattendue)" in page
    assert "détail technique interne" not in page and "Traceback" not in page
    assert "confirm_form" not in response.context
    assert Practice.objects.get().summary == "Ancien résumé"
