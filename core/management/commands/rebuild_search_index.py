"""Rebuild the search index from every searchable record (after a bulk import, or to check)."""

from django.core.management.base import BaseCommand

from core import search


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche (tous les enregistrements, et le vocabulaire)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        counts = search.rebuild(using=options["database"])
        for label, count in counts.items():
            self.stdout.write(f"{label} : {count} indexés")
        self.stdout.write(self.style.SUCCESS("Index de recherche reconstruit."))
