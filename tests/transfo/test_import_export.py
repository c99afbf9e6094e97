"""Editors export the filtered admin list and import with a preview; a bad row changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from practices.models import Practice
from practices.resources import PracticeResource
from tests.factories import PracticeFactory, SourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def csv_upload(text):
    return SimpleUploadedFile("pratiques.csv", text.encode("utf-8"), content_type="text/csv")


def test_the_export_holds_the_filtered_rows(admin_client):
    PracticeFactory(title="Budget vert", family="fonction-support")
    PracticeFactory(title="Tiers-lieux", family="axe-cooperation")
    url = reverse("admin:practices_practice_export") + "?family__exact=fonction-support"
    response = admin_client.post(
        url,
        {
            "format": "0",
            "resource": "0",
            "practiceresource_title": "on",
            "practiceresource_slug": "on",
            "practiceresource_family": "on",
        },
    )
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert "Budget vert" in body
    assert "Tiers-lieux" not in body


def test_an_import_is_previewed_before_it_is_applied(admin_client):
    source = SourceFactory(slug="cnfpt-2022")
    ThemeFactory(slug="evaluation")
    csv = (
        "slug,title,family,summary,description,success_factors,obstacles,themes,source,pages,section,editor_note,status\n"
        f"budget-vert,Budget vert,fonction-support,Résumé,,,,evaluation,{source.slug},38,,,draft\n"
    )
    response = admin_client.post(
        reverse("admin:practices_practice_import"),
        {"resource": "0", "format": "0", "import_file": csv_upload(csv)},
    )
    assert response.status_code == 200
    assert "Budget vert" in response.content.decode()
    assert not Practice.objects.exists()  # a preview only


def test_a_failing_row_is_reported_with_its_line_and_nothing_is_half_applied():
    SourceFactory(slug="cnfpt-2022")
    csv = (
        "slug,title,family,summary,source,pages,section,status\n"
        "budget-vert,Budget vert,fonction-support,Un résumé,cnfpt-2022,38,,draft\n"
        "sans-source,Sans source,fonction-support,Un résumé,nexiste-pas,39,,draft\n"
    )
    import tablib

    dataset = tablib.Dataset().load(csv, format="csv")
    result = PracticeResource().import_data(
        dataset, dry_run=False, raise_errors=False, use_transactions=True
    )
    assert result.has_errors() or result.has_validation_errors()
    failing_lines = [row.number for row in result.invalid_rows] + [
        number for number, _ in result.row_errors()
    ]
    assert failing_lines == [2]
    assert not Practice.objects.exists()
