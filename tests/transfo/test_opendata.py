"""`export_opendata` writes a documented, deterministic package of the published records only."""

import csv
import json

import pytest
from django.core.management import call_command

from practices.models import Source, Status
from tests.factories import CaseStudyFactory
from transfo.opendata import TABLES

pytestmark = pytest.mark.django_db


def export(directory):
    call_command("export_opendata", str(directory))
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def test_it_writes_one_csv_per_record_type_a_json_and_a_datapackage(world, tmp_path):
    files = export(tmp_path)
    assert set(files) == {f"{name}.csv" for name in TABLES} | {"transfo.json", "datapackage.json"}
    package = json.loads(files["datapackage.json"])
    assert package["licenses"][0]["name"] == "etalab-2.0"
    credited = {source["title"].split(" (")[0] for source in package["sources"]}
    assert credited == set(Source.objects.published().values_list("title", flat=True))
    for resource in package["resources"]:
        if resource["format"] != "csv":
            continue
        header = next(csv.reader(files[resource["path"]].decode("utf-8").splitlines()))
        assert header == [field["name"] for field in resource["schema"]["fields"]]
        assert all(field["description"] for field in resource["schema"]["fields"])


def test_two_runs_give_identical_files(world, tmp_path):
    assert export(tmp_path / "a") == export(tmp_path / "b")


def test_drafts_are_not_exported(world, tmp_path):
    draft = CaseStudyFactory(status=Status.DRAFT, title="Brouillon secret")
    files = export(tmp_path)
    assert draft.slug.encode() not in files["cas.csv"]
    assert b"Brouillon secret" not in files["transfo.json"]
    rows = list(csv.DictReader(files["cas.csv"].decode("utf-8").splitlines()))
    assert len(rows) == len(world["cases"])
