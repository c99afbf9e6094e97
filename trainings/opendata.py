"""Open data table of the trainings."""

from core.opendata import (
    Column,
    Table,
    common_columns,
    decimal_text,
    provenance_columns,
    slugs,
)

from .models import Training

TRAININGS = Table(
    "formations",
    "Formations",
    Training,
    [
        *common_columns("Intitulé de la formation"),
        Column(
            "duree_jours",
            "number",
            "Durée en jours (vide si le rapport n'en donne pas)",
            lambda o: decimal_text(o.duration_days),
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
    lambda: Training.objects.visible().for_detail().order_by("slug"),
)
