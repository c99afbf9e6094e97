"""The open data columns of each record type: one definition for the lists' CSV downloads and for
the data package (`export_opendata`), with the codebook that describes them.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch

from cases.models import CaseStudy, Territory
from practices.models import Orientation, Piste, Practice, Source, Theme
from trainings.models import Training


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless Data field type
    description: str
    value: Callable


def slugs(attribute):
    return lambda obj: "|".join(sorted(item.slug for item in getattr(obj, attribute)))


def provenance_columns():
    return [
        Column(
            "source", "string", "Slug du rapport dont la fiche est tirée", lambda o: o.source.slug
        ),
        Column(
            "pages",
            "string",
            "Pages imprimées dans le rapport (vide s'il n'en imprime pas)",
            lambda o: o.pages,
        ),
        Column("section", "string", "Partie du rapport", lambda o: o.section),
        Column(
            "note_editeur",
            "string",
            "Ambiguïtés du rapport et choix faits",
            lambda o: o.editor_note,
        ),
    ]


def common_columns(title_label):
    return [
        Column("slug", "string", "Identifiant stable de la fiche", lambda o: o.slug),
        Column("titre", "string", title_label, lambda o: o.title),
    ]


def published(model, *related, **prefetches):
    """Published records with published links only, loaded in a fixed number of queries."""
    queryset = model.objects.published().order_by("slug")
    if related:
        queryset = queryset.select_related(*related)
    for name, related_model in prefetches.items():
        queryset = queryset.prefetch_related(
            Prefetch(
                name,
                queryset=related_model.objects.published().order_by("slug"),
                to_attr=f"published_{name}",
            )
        )
    return queryset


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    model: type
    columns: list
    queryset: Callable  # () -> the published rows, eager-loaded

    def rows(self, queryset=None):
        for obj in queryset if queryset is not None else self.queryset():
            yield [column.value(obj) for column in self.columns]


def _decimal(value):
    return "" if value is None else f"{value.normalize():f}"


TABLES = {
    "cas": Table(
        "cas",
        "Cas",
        CaseStudy,
        [
            *common_columns("Titre du cas"),
            Column(
                "type",
                "string",
                "Type : focus, reference, cas-etudie, projet-collectif, inspiration, exemple",
                lambda o: o.kind,
            ),
            Column(
                "territoire",
                "string",
                "Slug du territoire",
                lambda o: o.territory.slug if o.territory else "",
            ),
            Column(
                "territoire_nom",
                "string",
                "Nom du territoire",
                lambda o: o.territory.name if o.territory else "",
            ),
            Column(
                "territoire_type",
                "string",
                "Type de territoire",
                lambda o: o.territory.kind if o.territory else "",
            ),
            Column(
                "departement",
                "string",
                "Département",
                lambda o: o.territory.departement if o.territory else "",
            ),
            Column(
                "region", "string", "Région", lambda o: o.territory.region if o.territory else ""
            ),
            Column(
                "commanditaire", "string", "Commanditaire ou référent", lambda o: o.commissioner
            ),
            Column(
                "periode", "string", "Période telle que le rapport la donne", lambda o: o.period
            ),
            Column(
                "annee_debut",
                "integer",
                "Année de début",
                lambda o: o.year_start if o.year_start is not None else "",
            ),
            Column(
                "annee_fin",
                "integer",
                "Année de fin",
                lambda o: o.year_end if o.year_end is not None else "",
            ),
            Column("resume", "string", "Résumé", lambda o: o.summary),
            Column("chiffres_cles", "string", "Chiffres et faits clés", lambda o: o.key_facts),
            Column(
                "pratiques",
                "string",
                "Slugs des pratiques, séparés par |",
                slugs("published_practices"),
            ),
            Column(
                "pistes",
                "string",
                "Slugs des pistes inspirées, séparés par |",
                slugs("published_pistes"),
            ),
            *provenance_columns(),
        ],
        lambda: published(CaseStudy, "territory", "source", practices=Practice, pistes=Piste),
    ),
    "pratiques": Table(
        "pratiques",
        "Pratiques",
        Practice,
        [
            *common_columns("Titre de la pratique"),
            Column(
                "famille", "string", "Axe ou fonction de l'étude CNFPT 2022", lambda o: o.family
            ),
            Column("resume", "string", "Résumé", lambda o: o.summary),
            Column(
                "facteurs_reussite", "string", "Facteurs de réussite", lambda o: o.success_factors
            ),
            Column("freins", "string", "Freins", lambda o: o.obstacles),
            *provenance_columns(),
        ],
        lambda: published(Practice, "source"),
    ),
    "formations": Table(
        "formations",
        "Formations",
        Training,
        [
            *common_columns("Intitulé de la formation"),
            Column(
                "duree_jours",
                "number",
                "Durée en jours (vide si le rapport n'en donne pas)",
                lambda o: _decimal(o.duration_days),
            ),
            Column(
                "libelle_duree",
                "string",
                "Libellé imprimé à la place d'une durée",
                lambda o: o.duration_label,
            ),
            Column("format", "string", "Format", lambda o: o.format),
            Column("domaine", "string", "Domaine (encadré du rapport)", lambda o: o.domain),
            Column(
                "pratiques",
                "string",
                "Slugs des pratiques enseignées, séparés par |",
                slugs("published_practices"),
            ),
            *provenance_columns(),
        ],
        lambda: published(Training, "source", practices=Practice),
    ),
    "orientations": Table(
        "orientations",
        "Orientations",
        Orientation,
        [
            *common_columns("Titre de l'orientation"),
            Column("numero", "integer", "Numéro dans le rapport", lambda o: o.number),
            Column("resume", "string", "Résumé", lambda o: o.summary),
            *provenance_columns(),
        ],
        lambda: published(Orientation, "source"),
    ),
    "pistes": Table(
        "pistes",
        "Pistes",
        Piste,
        [
            *common_columns("Titre de la piste"),
            Column("orientation", "string", "Slug de l'orientation", lambda o: o.orientation.slug),
            Column("numero", "integer", "Numéro dans l'orientation", lambda o: o.number),
            Column("levier", "string", "Levier", lambda o: o.lever),
            Column(
                "etiquettes_imprimees",
                "string",
                "Étiquettes telles qu'imprimées",
                lambda o: o.printed_tags,
            ),
            Column(
                "etiquettes",
                "string",
                "Étiquettes normalisées, séparées par |",
                lambda o: "|".join(sorted(t.slug for t in o.tags.all())),
            ),
            Column(
                "pratiques",
                "string",
                "Slugs des pratiques liées, séparés par |",
                slugs("published_practices"),
            ),
            *provenance_columns(),
        ],
        lambda: published(Piste, "source", "orientation", practices=Practice).prefetch_related(
            "tags"
        ),
    ),
    "territoires": Table(
        "territoires",
        "Territoires",
        Territory,
        [
            Column("slug", "string", "Identifiant stable du territoire", lambda o: o.slug),
            Column("nom", "string", "Nom", lambda o: o.name),
            Column("type", "string", "Type de territoire", lambda o: o.kind),
            Column("departement", "string", "Département", lambda o: o.departement),
            Column("region", "string", "Région", lambda o: o.region),
        ],
        lambda: Territory.objects.filter(cases__status="published").distinct().order_by("slug"),
    ),
    "sources": Table(
        "sources",
        "Sources",
        Source,
        [
            Column("slug", "string", "Identifiant stable du rapport", lambda o: o.slug),
            Column("titre", "string", "Titre du rapport", lambda o: o.title),
            Column("titre_court", "string", "Titre court", lambda o: o.short_title),
            Column("editeur", "string", "Éditeur ou commanditaire", lambda o: o.publisher),
            Column("auteurs", "string", "Auteurs", lambda o: o.authors),
            Column("date", "string", "Date telle qu'imprimée ou déduite", lambda o: o.date_label),
            Column("type", "string", "Type de rapport", lambda o: o.kind),
        ],
        lambda: Source.objects.published().order_by("slug"),
    ),
    "themes": Table(
        "themes",
        "Thèmes",
        Theme,
        [
            Column("slug", "string", "Identifiant stable du thème", lambda o: o.slug),
            Column("nom", "string", "Nom", lambda o: o.name),
            Column("description", "string", "Description", lambda o: o.description),
        ],
        lambda: Theme.objects.order_by("slug"),
    ),
}


def table_for(model):
    return next(table for table in TABLES.values() if table.model is model)


def write_csv(table, stream, rows):
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([column.name for column in table.columns])
    writer.writerows(rows)


def csv_text(table, queryset=None):
    """UTF-8 with a BOM, so that a French spreadsheet opens accents correctly."""
    buffer = io.StringIO()
    write_csv(table, buffer, table.rows(queryset))
    return "\ufeff" + buffer.getvalue()
