"""A pg_dump of the database restores into an empty database with identical content."""

import shutil
import subprocess

import psycopg
import pytest
from django.db import connection

from tests.factories import PublishedCaseStudyFactory, TrainingPracticeFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_dump backups are for PostgreSQL"
    ),
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed"),
]

TABLES = [
    "practices_source",
    "practices_practice",
    "practices_piste",
    "practices_orientation",
    "cases_casestudy",
    "cases_territory",
    "cases_casestudy_practices",
    "trainings_training",
    "trainings_trainingpractice",
    "practices_historicalpractice",
    "cases_historicalcasestudy",
]


def snapshot(conninfo):
    """Every row of the content tables, as text, in a stable order."""
    with psycopg.connect(**conninfo) as conn:
        return {
            table: conn.execute(
                f"SELECT md5(string_agg(t::text, '|' ORDER BY t::text)), count(*) FROM {table} t"
            ).fetchone()
            for table in TABLES
        }


def test_a_dump_restores_with_identical_content(world):
    TrainingPracticeFactory()
    PublishedCaseStudyFactory(title="Cas sauvegardé")
    settings = connection.settings_dict
    conninfo = {
        "host": settings["HOST"],
        "port": settings["PORT"],
        "user": settings["USER"],
        "dbname": settings["NAME"],
    }
    restored = f"{settings['NAME']}_restore"
    env_args = ["-h", settings["HOST"], "-p", str(settings["PORT"]), "-U", settings["USER"]]
    with psycopg.connect(**{**conninfo, "dbname": "postgres"}, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        dump = subprocess.run(
            ["pg_dump", "-Fc", *env_args, settings["NAME"]], capture_output=True, check=True
        ).stdout
        subprocess.run(
            ["pg_restore", "--no-owner", *env_args, "-d", restored], input=dump, check=True
        )
        assert snapshot({**conninfo, "dbname": restored}) == snapshot(conninfo)
        assert snapshot(conninfo)["cases_casestudy"][1] == 5
    finally:
        with psycopg.connect(**{**conninfo, "dbname": "postgres"}, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
