"""Open data tables of the reports, themes, practices, orientations and pistes."""

from core.opendata import Column, Table, common_columns, provenance_columns, slugs

from .models import Finding, Orientation, Piste, Practice, Source, Theme

PRACTICES = Table(
    "pratiques",
    "Pratiques",
    Practice,
    [
        *common_columns("Titre de la pratique"),
        Column("famille", "string", "Axe ou fonction de l'étude CNFPT 2022", lambda o: o.family),
        Column("resume", "string", "Résumé", lambda o: o.summary),
        Column("facteurs_reussite", "string", "Facteurs de réussite", lambda o: o.success_factors),
        Column("freins", "string", "Freins", lambda o: o.obstacles),
        *provenance_columns(),
    ],
    lambda: Practice.objects.visible().for_list().order_by("slug"),
)

ORIENTATIONS = Table(
    "orientations",
    "Orientations",
    Orientation,
    [
        *common_columns("Titre de l'orientation"),
        Column("numero", "integer", "Numéro dans le rapport", lambda o: o.number),
        Column("resume", "string", "Résumé", lambda o: o.summary),
        *provenance_columns(),
    ],
    lambda: Orientation.objects.visible().for_list().order_by("slug"),
)

PISTES = Table(
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
    lambda: Piste.objects.visible().for_detail().order_by("slug"),
)

SOURCES = Table(
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
    lambda: Source.objects.visible().order_by("slug"),
)

THEMES = Table(
    "themes",
    "Thèmes",
    Theme,
    [
        Column("slug", "string", "Identifiant stable du thème", lambda o: o.slug),
        Column("nom", "string", "Nom", lambda o: o.name),
        Column("description", "string", "Description", lambda o: o.description),
    ],
    lambda: Theme.objects.order_by("slug"),
)

FINDINGS = Table(
    "reperes",
    "Repères",
    Finding,
    [
        *common_columns("Titre du repère (pour une controverse : sa question)"),
        Column(
            "type",
            "string",
            "Type : controverse, terrain, finalite, condition",
            lambda o: o.kind,
        ),
        Column("code", "string", "Code ou numéro imprimé", lambda o: o.code),
        Column("resume", "string", "Résumé", lambda o: o.summary),
        Column("details", "string", "Détails", lambda o: o.details),
        Column("lieux", "string", "Lieux (terrains)", lambda o: o.places),
        Column(
            "pratiques",
            "string",
            "Slugs des pratiques liées, séparés par |",
            slugs("published_practices"),
        ),
        Column(
            "pistes", "string", "Slugs des pistes liées, séparés par |", slugs("published_pistes")
        ),
        *provenance_columns(),
    ],
    lambda: Finding.objects.visible().for_detail().order_by("slug"),
)
