"""Import writes like a save: the rights of a save, the editable fields, the form's checks."""

import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import CaseStudy
from practices.models import Practice, Source, Status
from tests.factories import (
    PublishedCaseStudyFactory,
    PublishedPracticeFactory,
    SourceFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db

PRACTICE_HEADER = "slug,title,family,summary,source,pages,section,status,version\n"


def upload(text, name="import.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def import_url(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_import")


def process_url(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_process_import")


def preview_and_confirm(client, model, text):
    """The two steps an editor takes; returns the confirmation response (or the preview's)."""
    preview = client.post(
        import_url(model), {"resource": "0", "format": "0", "import_file": upload(text)}
    )
    if preview.status_code != 200 or "confirm_form" not in preview.context:
        return preview
    confirm = preview.context["confirm_form"]
    return client.post(process_url(model), {name: confirm[name].value() for name in confirm.fields})


def practice_row(practice, **changes):
    values = {
        "slug": practice.slug,
        "title": practice.title,
        "family": practice.family,
        "summary": practice.summary,
        "source": practice.source.slug,
        "pages": practice.pages,
        "section": practice.section,
        "status": practice.status,
        "version": practice.version,
        **changes,
    }
    return ",".join(str(values[name]) for name in PRACTICE_HEADER.strip().split(",")) + "\n"


def test_a_trainer_cannot_import_cases(trainer_client):
    case = PublishedCaseStudyFactory(title="Titre publié")
    text = f"slug,title,status\n{case.slug},Renommé par un formateur,draft\n"
    assert trainer_client.get(import_url(CaseStudy)).status_code == 403
    response = trainer_client.post(
        import_url(CaseStudy), {"resource": "0", "format": "0", "import_file": upload(text)}
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert (case.title, case.status) == ("Titre publié", Status.PUBLISHED)


def test_a_trainer_cannot_import_practices_nor_sources(trainer_client):
    practice = PublishedPracticeFactory()
    text = PRACTICE_HEADER + practice_row(practice, summary="Réécrit par un formateur")
    assert preview_and_confirm(trainer_client, Practice, text).status_code == 403
    assert trainer_client.get(import_url(Source)).status_code == 403
    assert Practice.objects.get().summary == practice.summary


def test_a_trainer_imports_trainings_their_role_lets_them_edit(trainer_client):
    training = TrainingFactory(title="Ancien titre")
    text = (
        "slug,title,source,pages,status,version\n"
        f"{training.slug},Nouveau titre,{training.source.slug},11,draft,{training.version}\n"
    )
    assert preview_and_confirm(trainer_client, type(training), text).status_code == 302
    training.refresh_from_db()
    assert training.title == "Nouveau titre"


def test_an_editor_imports_a_practice_change(editor_client):
    practice = PublishedPracticeFactory(summary="Ancien résumé")
    text = PRACTICE_HEADER + practice_row(practice, summary="Nouveau résumé")
    assert preview_and_confirm(editor_client, Practice, text).status_code == 302
    practice.refresh_from_db()
    assert (practice.summary, practice.version) == ("Nouveau résumé", 2)


def test_a_superuser_imports_a_source(admin_client):
    text = "slug,title,short_title,kind,status,version\nrapport,Un rapport,Rapport,etude,draft,\n"
    assert preview_and_confirm(admin_client, Source, text).status_code == 302
    assert Source.objects.get().version == 1


def test_a_visitor_cannot_import(client):
    response = client.get(import_url(Practice))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_row_made_from_an_outdated_export_is_refused(editor_client):
    practice = PublishedPracticeFactory(summary="Ancien résumé")
    exported = practice_row(practice, summary="Résumé importé")
    practice.summary = "Corrigé dans l'admin entre-temps"
    practice.save()
    response = preview_and_confirm(editor_client, Practice, PRACTICE_HEADER + exported)
    assert response.status_code == 200
    assert "a été modifiée depuis votre export" in response.content.decode()
    assert Practice.objects.get().summary == "Corrigé dans l'admin entre-temps"


def test_a_row_updating_a_record_without_its_version_is_refused(editor_client):
    practice = PublishedPracticeFactory(summary="Ancien résumé")
    text = PRACTICE_HEADER + practice_row(practice, summary="Sans version", version="")
    response = preview_and_confirm(editor_client, Practice, text)
    assert response.status_code == 200
    assert "La colonne « Version » est vide" in response.content.decode()
    assert Practice.objects.get().summary == "Ancien résumé"


def test_an_import_writes_only_the_fields_the_form_lets_the_person_edit(editor):
    import tablib

    from practices.resources import PracticeResource

    practice = PublishedPracticeFactory(title="Titre", summary="Résumé")
    text = PRACTICE_HEADER + practice_row(practice, title="Autre titre", summary="Autre résumé")
    resource = PracticeResource(editable_fields={"summary"})
    result = resource.import_data(tablib.Dataset().load(text, format="csv"), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    practice.refresh_from_db()
    assert (practice.title, practice.summary) == ("Titre", "Autre résumé")


def test_an_import_is_validated_like_the_form(editor_client):
    source = SourceFactory(slug="cnfpt-2022")
    text = PRACTICE_HEADER + f"nouvelle,Nouvelle,famille-inconnue,R,{source.slug},,,draft,\n"
    response = preview_and_confirm(editor_client, Practice, text)
    assert response.status_code == 200
    assert not Practice.objects.exists()


def test_the_confirmation_reads_only_files_of_the_import_storage(editor_client):
    secret = Path(tempfile.gettempdir()) / "transfo-test-secret.csv"
    secret.write_text(PRACTICE_HEADER)
    try:
        for name in [secret.name, f"../{secret.name}", str(secret)]:
            response = editor_client.post(
                process_url(Practice),
                {"import_file_name": name, "original_file_name": "x.csv", "format": "0"},
            )
            assert response.status_code == 400
        assert secret.exists()
    finally:
        secret.unlink()


def test_an_unknown_practice_slug_is_an_error_never_dropped():
    import tablib

    from cases.resources import CaseStudyResource

    practice = PublishedPracticeFactory(slug="budget-vert")
    case = PublishedCaseStudyFactory(practices=[practice])
    text = (
        "slug,title,practices,version\n"
        f"{case.slug},{case.title},budget-vert|budget-inconnu,{case.version}\n"
    )
    result = CaseStudyResource().import_data(
        tablib.Dataset().load(text, format="csv"), dry_run=False
    )
    assert result.has_validation_errors()
    messages = result.invalid_rows[0].error.message_dict["practices"]
    assert messages == [
        "Aucune fiche « pratique » n’a le slug ou le nom « budget-inconnu ». Indiquez le slug "
        "d’une fiche existante (voir l’export)."
    ]
    assert list(case.practices.all()) == [practice]


def test_an_unknown_source_slug_is_named():
    import tablib

    from practices.resources import PracticeResource

    text = PRACTICE_HEADER + "nouvelle,Nouvelle,fonction-support,R,rapport-inconnu,1,,draft,\n"
    result = PracticeResource().import_data(tablib.Dataset().load(text, format="csv"), dry_run=True)
    assert "« rapport-inconnu »" in str(result.invalid_rows[0].error.message_dict["source"])


def export_url(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_export")


@pytest.mark.parametrize("persona", ["editor_client", "trainer_client", "admin_client"])
def test_staff_who_may_view_records_may_export_them(request, persona):
    PublishedCaseStudyFactory()
    assert request.getfixturevalue(persona).get(export_url(CaseStudy)).status_code == 200


def test_a_visitor_cannot_export(client):
    response = client.get(export_url(CaseStudy))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    "encoding, delimiter", [("utf-8", ","), ("utf-8-sig", ";"), ("cp1252", ";")]
)
def test_an_editor_imports_a_file_saved_by_a_french_spreadsheet(editor_client, encoding, delimiter):
    practice = PublishedPracticeFactory(summary="Ancien résumé")
    text = (PRACTICE_HEADER + practice_row(practice, summary="Résumé révisé à l'été")).replace(
        ",", delimiter
    )
    preview = editor_client.post(
        import_url(Practice),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("pratiques.csv", text.encode(encoding)),
        },
    )
    assert preview.status_code == 200 and "confirm_form" in preview.context, encoding
    confirm = preview.context["confirm_form"]
    response = editor_client.post(
        process_url(Practice), {name: confirm[name].value() for name in confirm.fields}
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.summary == "Résumé révisé à l'été"


def test_the_export_is_named_by_date_and_opens_in_a_french_spreadsheet(editor_client):
    from django.utils import timezone

    PublishedCaseStudyFactory(title="Accueil à Pessac")
    response = editor_client.post(
        export_url(CaseStudy),
        {"format": "0", "resource": "0", "casestudyresource_title": "on"},
    )
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="cas-{today}.csv"'
    assert response.content.startswith("\ufeff".encode())
    assert "Accueil à Pessac" in response.content.decode("utf-8-sig")
