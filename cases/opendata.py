"""Open data tables of the case studies and territories."""

from core.opendata import Column, Table, common_columns, provenance_columns, slugs

from .models import CaseStudy, Territory

CASES = Table(
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
        Column("region", "string", "Région", lambda o: o.territory.region if o.territory else ""),
        Column("commanditaire", "string", "Commanditaire ou référent", lambda o: o.commissioner),
        Column("periode", "string", "Période telle que le rapport la donne", lambda o: o.period),
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
    lambda: CaseStudy.objects.visible().for_detail().order_by("slug"),
)

TERRITORIES = Table(
    "territoires",
    "Territoires",
    Territory,
    [
        Column("slug", "string", "Identifiant stable du territoire", lambda o: o.slug),
        Column("nom", "string", "Nom", lambda o: o.name),
        Column("type", "string", "Type de territoire", lambda o: o.kind),
        Column("departement", "string", "Département", lambda o: o.departement),
        Column("region", "string", "Région", lambda o: o.region),
        Column(
            "code_insee",
            "string",
            "Code INSEE (COG) de la commune, du département ou de la région",
            lambda o: o.insee_code,
        ),
        Column("siren", "string", "SIREN de la collectivité ou du groupement", lambda o: o.siren),
        Column("type_officiel", "string", "Type officiel (COG)", lambda o: o.official_type),
        Column(
            "code_departement", "string", "Code du département (COG)", lambda o: o.departement_code
        ),
        Column("code_region", "string", "Code de la région (COG)", lambda o: o.region_code),
        Column(
            "population",
            "integer",
            "Population (COG, population municipale ou totale du groupement)",
            lambda o: o.population,
        ),
    ],
    lambda: Territory.objects.with_published_cases().order_by("slug"),
)
