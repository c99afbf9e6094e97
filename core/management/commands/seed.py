from django.core.management.base import BaseCommand, CommandError

from core.seeding import FIXTURES_DIR, FixtureError, seed_content


class Command(BaseCommand):
    help = (
        "Charge le contenu des rapports (fixtures/). Relancer la commande ajoute ce qui manque "
        "et signale ce qui diffère, sans jamais écraser une modification faite par un éditeur."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(FIXTURES_DIR), help="Dossier des fixtures.")

    def handle(self, *args, **options):
        try:
            report = seed_content(directory=options["dir"])
        except FixtureError as error:
            raise CommandError(f"{error}. Rien n'a été chargé.") from error
        self.stdout.write(
            f"Créés : {report.created} · mis à jour : {report.updated} · inchangés : {report.unchanged}"
        )
        for label, key, fields in report.kept:
            self.stdout.write(
                self.style.WARNING(
                    f"Conservé (modifié par un éditeur) : {label} « {key} » — champs : {', '.join(fields)}"
                )
            )
        for label, key in report.deleted:
            self.stdout.write(
                self.style.WARNING(f"Non recréé (supprimé par un éditeur) : {label} « {key} »")
            )
        for label, key, target, target_key in report.dropped:
            self.stdout.write(
                self.style.WARNING(
                    f"Lien non recréé : {label} « {key} » → {target} « {target_key} » "
                    "(supprimé par un éditeur)"
                )
            )
        for label, key, message in report.errors:
            self.stderr.write(self.style.ERROR(f"Erreur : {label} « {key} » — {message}"))
        if report.errors:
            raise CommandError(f"{len(report.errors)} enregistrement(s) n'ont pas pu être chargés.")
