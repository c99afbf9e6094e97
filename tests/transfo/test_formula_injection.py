"""Every CSV and XLSX the project writes is safe to open in a spreadsheet (OWASP CSV injection)."""

import csv
import io
import json

import openpyxl
import pytest
import tablib
from django.core.management import call_command
from django.urls import reverse

from cases.models import CaseStudy
from cases.resources import CaseStudyResource
from tests.factories import PublishedCaseStudyFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.org","Cliquez")'
KEY_FACTS = "- 40 agents formés\n- 3 quartiers"


@pytest.fixture
def dangerous_case():
    return PublishedCaseStudyFactory(
        title=FORMULA, key_facts=KEY_FACTS, summary="@SUM(A1)", method="+1", results="\tx"
    )


def cells(text, delimiter=","):
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def test_the_public_csv_neutralises_formulas(client, dangerous_case):
    response = client.get(reverse("cases:list"), {"format": "csv"})
    row = cells(response.content.decode("utf-8"))[0]
    assert row["titre"] == "'" + FORMULA
    assert row["chiffres_cles"] == "'" + KEY_FACTS


def test_the_open_data_package_neutralises_formulas_in_csv_only(dangerous_case, tmp_path):
    call_command("export_opendata", str(tmp_path))
    row = cells((tmp_path / "cas.csv").read_text(encoding="utf-8"))[0]
    assert row["titre"] == "'" + FORMULA
    # The JSON is read by programs, not spreadsheets: its texts are exact.
    dump = json.loads((tmp_path / "transfo.json").read_text(encoding="utf-8"))
    assert dump["cas"][0]["titre"] == FORMULA


def admin_export(admin_client, file_format):
    url = reverse("admin:cases_casestudy_export")
    fields = {f"casestudyresource_{name}": "on" for name in ["slug", "title", "key_facts"]}
    return admin_client.post(url, {"format": file_format, "resource": "0", **fields})


def test_the_admin_csv_export_neutralises_formulas(admin_client, dangerous_case):
    response = admin_export(admin_client, "0")  # CSV
    row = cells(response.content.decode("utf-8"), delimiter=";")[0]
    values = list(row.values())
    assert "'" + FORMULA in values and "'" + KEY_FACTS in values


def test_the_admin_xlsx_export_holds_text_not_formulas(admin_client, dangerous_case):
    from import_export.formats.base_formats import XLSX

    from cases.admin import CaseStudyAdmin

    formats = CaseStudyAdmin(CaseStudy, None).get_export_formats()
    index = next(i for i, f in enumerate(formats) if f is XLSX)
    response = admin_export(admin_client, str(index))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    title = next(cell for cell in values if "HYPERLINK" in str(cell.value))
    assert title.data_type == "s" and title.value == "'" + FORMULA


def test_an_exported_file_imports_back_with_the_texts_unchanged(dangerous_case):
    resource = CaseStudyResource()
    exported = resource.export(queryset=CaseStudy.objects.all())
    assert "'=HYPERLINK" in exported.csv
    result = CaseStudyResource().import_data(
        tablib.Dataset().load(exported.csv, format="csv"), dry_run=False
    )
    assert not result.has_errors() and not result.has_validation_errors()
    dangerous_case.refresh_from_db()
    assert (dangerous_case.title, dangerous_case.key_facts) == (FORMULA, KEY_FACTS)
