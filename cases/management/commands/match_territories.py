"""Give our territories their official identity (INSEE code, SIREN, type, codes, population).

With node_modules (npm ci): match against the COG and write the result to
fixtures/territories-cog.json, printing what did not match and why. Without it (a fresh machine,
`make run`): apply that committed file. Only the identity fields are written.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from cases.models import Territory
from cases.official import Identity, Reference, identity_fields
from core.cache import label, schedule_bump

MATCHES = Path(settings.BASE_DIR) / "fixtures" / "territories-cog.json"
COG = Path(settings.BASE_DIR) / "node_modules" / "@etalab" / "decoupage-administratif" / "data"


class Command(BaseCommand):
    help = "Rattache les territoires au Code officiel géographique et rend compte des écarts."

    def add_arguments(self, parser):
        parser.add_argument("--cog", default=str(COG), help="Dossier data/ du paquet npm.")
        parser.add_argument(
            "--apply-only",
            action="store_true",
            help="Appliquer fixtures/territories-cog.json sans relire le COG.",
        )

    def handle(self, *args, **options):
        cog = Path(options["cog"])
        if options["apply_only"] or not cog.exists():
            self.apply(json.loads(MATCHES.read_text(encoding="utf-8")) if MATCHES.exists() else {})
            return
        reference = Reference(cog)
        matched, missed = {}, []
        for territory in Territory.objects.order_by("kind", "name"):
            identity, reason = reference.match(territory)
            if identity:
                matched[territory.slug] = identity_fields(identity)
            else:
                missed.append((territory, reason))
        MATCHES.write_text(
            json.dumps(matched, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        self.apply(matched)
        total = len(matched) + len(missed)
        self.stdout.write(f"Rattachés au COG : {len(matched)} sur {total}.")
        for territory, reason in missed:
            self.stdout.write(f"  non rattaché : {territory.name} ({territory.kind}) — {reason}")

    @transaction.atomic
    def apply(self, matches):
        empty = identity_fields(Identity())
        updated = 0
        for territory in Territory.objects.all():
            fields = matches.get(territory.slug, empty)
            if any(getattr(territory, name) != value for name, value in fields.items()):
                Territory.objects.filter(pk=territory.pk).update(**fields)
                updated += 1
        if updated:
            # Written without the models' signals: the pages showing territories are let go here.
            schedule_bump(label(Territory))
        self.stdout.write(f"Identités officielles appliquées : {updated} territoire(s) mis à jour.")
