"""Fill a database with synthetic content at benchmark volume (never run by `make run`).

Everything it creates is marked as synthetic: one source « Données synthétiques », slugs that
start with `demo-`, and « (démo) » in every title.
"""

import random
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from cases.models import CaseStudy, Territory
from core import search
from practices.models import Orientation, Piste, Practice, Source, Status, Theme
from trainings.models import Training, TrainingPractice

REGIONS = {
    "Bretagne": ["Finistère", "Morbihan", "Ille-et-Vilaine", "Côtes-d'Armor"],
    "Occitanie": ["Hérault", "Gard", "Haute-Garonne", "Aude"],
    "Nouvelle-Aquitaine": ["Gironde", "Landes", "Vienne", "Corrèze"],
    "Grand Est": ["Bas-Rhin", "Moselle", "Marne", "Vosges"],
    "Île-de-France": ["Paris", "Essonne", "Val-de-Marne", "Yvelines"],
}
WORDS = (
    "école accueil budget participatif design services numérique transition écologique agents "
    "usagers quartier mobilité santé jeunesse solidarité évaluation données tiers-lieu habitat "
    "culture sport emploi insertion alimentation climat énergie eau déchets commerce tourisme"
).split()


def sentence(rng, words=12):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


class Command(BaseCommand):
    help = "Crée des données synthétiques (marquées « démo ») pour les mesures de performance."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=2026, help="Graine du tirage aléatoire.")

    @transaction.atomic
    def handle(self, *args, **options):
        cases = options["cases"]
        if cases < 1 or cases > 1_000_000:
            raise CommandError("--cases doit être entre 1 et 1 000 000.")
        if Source.objects.filter(slug="demo-synthetique").exists():
            raise CommandError("Des données de démonstration existent déjà dans cette base.")
        # Bandit: synthetic demo data, nothing secret.
        rng = random.Random(options["seed"])  # nosec B311
        scale = max(1, cases // 100)
        source = Source.objects.create(
            slug="demo-synthetique",
            title="Données synthétiques de démonstration",
            short_title="Démo",
            kind=Source.Kind.STUDY,
            status=Status.PUBLISHED,
            description="Contenu généré pour les mesures de performance ; ne provient d'aucun rapport.",
        )
        themes = Theme.objects.bulk_create(
            [Theme(slug=f"demo-theme-{n}", name=f"Thème {n} (démo)") for n in range(12)]
        )
        territories = []
        for n in range(5 * scale):
            region = rng.choice(list(REGIONS))
            name = f"Commune {n} (démo)"
            territories.append(
                Territory(
                    slug=f"demo-commune-{n}",
                    name=name,
                    kind=rng.choice(Territory.Kind.values[:5]),
                    region=region,
                    departement=rng.choice(REGIONS[region]),
                )
            )
        territories = Territory.objects.bulk_create(territories)
        content = {"source": source, "status": Status.PUBLISHED, "pages": "1"}
        practices = Practice.objects.bulk_create(
            [
                Practice(
                    slug=f"demo-pratique-{n}",
                    title=(title := f"{sentence(rng, 4)[:-1]} (démo {n})"),
                    summary=(summary := sentence(rng)),
                    family=rng.choice(Practice.Family.values),
                    **content,
                )
                for n in range(2 * scale)
            ]
        )
        orientations = Orientation.objects.bulk_create(
            [
                Orientation(
                    slug=f"demo-orientation-{n}",
                    number=n + 1,
                    title=f"Orientation {n + 1} (démo)",
                    **content,
                )
                for n in range(max(2, scale // 5))
            ]
        )
        pistes = Piste.objects.bulk_create(
            [
                Piste(
                    slug=f"demo-piste-{n}",
                    orientation=orientations[n % len(orientations)],
                    number=n // len(orientations) + 1,
                    title=(title := f"{sentence(rng, 5)[:-1]} (démo {n})"),
                    **content,
                )
                for n in range(scale)
            ]
        )
        trainings = Training.objects.bulk_create(
            [
                Training(
                    slug=f"demo-formation-{n}",
                    title=(title := f"{sentence(rng, 6)[:-1]} (démo {n})"),
                    duration_days=Decimal(rng.choice(["0.5", "1", "2", "2.5", "3"])),
                    format=Training.Format.COURSE,
                    domain=rng.choice(Training.Domain.values),
                    **content,
                )
                for n in range(3 * scale)
            ]
        )
        TrainingPractice.objects.bulk_create(
            [
                TrainingPractice(
                    training=training, practice=practice, reason="Lien de démonstration"
                )
                for training in trainings
                for practice in rng.sample(practices, 2)
            ]
        )
        case_rows = []
        for n in range(cases):
            territory = rng.choice(territories)
            start = rng.randint(2005, 2023)
            title = f"{sentence(rng, 6)[:-1]} (démo {n})"
            summary = sentence(rng, 30)
            case_rows.append(
                CaseStudy(
                    slug=f"demo-cas-{n}",
                    kind=rng.choice(CaseStudy.Kind.values),
                    title=title,
                    territory=territory,
                    period=str(start),
                    year_start=start,
                    summary=summary,
                    **content,
                )
            )
        case_rows = CaseStudy.objects.bulk_create(case_rows, batch_size=2000)
        Through = CaseStudy.practices.through
        Through.objects.bulk_create(
            [
                Through(casestudy=case, practice=practice)
                for case in case_rows
                for practice in rng.sample(practices, 3)
            ],
            batch_size=5000,
        )
        ThemeThrough = CaseStudy.themes.through
        ThemeThrough.objects.bulk_create(
            [
                ThemeThrough(casestudy=case, theme=theme)
                for case in case_rows
                for theme in rng.sample(themes, 2)
            ],
            batch_size=5000,
        )
        PisteThrough = CaseStudy.pistes.through
        PisteThrough.objects.bulk_create(
            [PisteThrough(casestudy=case, piste=rng.choice(pistes)) for case in case_rows[::5]],
            batch_size=5000,
        )
        # bulk_create sends no signal: the search index is built once, at the end.
        search.rebuild()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"Données de démonstration : {cases} cas, {len(practices)} pratiques, {len(trainings)} formations, "
            f"{len(territories)} territoires, {len(pistes)} pistes."
        )
