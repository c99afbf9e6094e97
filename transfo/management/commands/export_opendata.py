"""Write the open data package: one CSV per record type, a JSON dump and datapackage.json.

Two runs on the same data give identical files: rows are sorted by slug, and nothing depends on
the time of the run.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db.models import Max

from cases.models import CaseStudy
from core.opendata import write_csv
from practices.models import Source
from transfo.opendata import TABLES

LICENSE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Etalab 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}


class Command(BaseCommand):
    help = "Exporte le répertoire publié en données ouvertes (CSV, JSON, datapackage.json)."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Dossier où écrire le paquet de données.")

    def handle(self, *args, **options):
        directory = Path(options["directory"])
        directory.mkdir(parents=True, exist_ok=True)
        dump, resources = {}, []
        for table in TABLES.values():
            rows = list(table.rows())
            with open(directory / f"{table.name}.csv", "w", encoding="utf-8", newline="") as stream:
                write_csv(table, stream, rows)
            dump[table.name] = [
                dict(zip((c.name for c in table.columns), row, strict=True)) for row in rows
            ]
            resources.append(
                {
                    "name": table.name,
                    "title": table.title,
                    "path": f"{table.name}.csv",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": {
                        "fields": [
                            {"name": c.name, "type": c.type, "description": c.description}
                            for c in table.columns
                        ],
                        "primaryKey": "slug",
                    },
                }
            )
        (directory / "transfo.json").write_text(
            json.dumps(dump, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n",
            encoding="utf-8",
        )
        resources.append(
            {
                "name": "transfo-json",
                "path": "transfo.json",
                "format": "json",
                "mediatype": "application/json",
            }
        )
        last_change = CaseStudy.objects.visible().aggregate(last=Max("updated_at"))["last"]
        package = {
            "profile": "data-package",
            "name": "transfo",
            "title": "Transfo — pratiques de transformation de l'action publique locale",
            "description": (
                "Pratiques, cas, formations, orientations et pistes tirés de cinq rapports sur la "
                "transformation de l'action publique locale, chaque fiche reliée à la page du rapport."
            ),
            "licenses": [LICENSE],
            "sources": [
                {"title": f"{source.title} ({source.publisher}, {source.date_label})"}
                for source in Source.objects.visible().order_by("slug")
            ],
            "version": last_change.strftime("%Y-%m-%d") if last_change else "",
            "resources": resources,
        }
        (directory / "datapackage.json").write_text(
            json.dumps(package, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        self.stdout.write(f"Paquet de données écrit dans {directory} ({len(TABLES)} tables).")
