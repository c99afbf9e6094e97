"""Open data tables: the columns of a record type, once, for the lists' CSV downloads and for
the data package (`transfo.opendata`), with the codebook that describes them.

Each app declares its tables in its own `opendata.py`; `CsvExportMixin` serves a list as CSV.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _


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


def decimal_text(value):
    return "" if value is None else f"{value.normalize():f}"


# A spreadsheet runs a cell that starts with one of these as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell a spreadsheet shows as text, never runs (OWASP: a leading apostrophe)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore(value):
    """The text `neutralise` protected, when a file of ours comes back (an import)."""
    if (
        isinstance(value, str)
        and len(value) > 1
        and value[0] == "'"
        and value[1:].startswith(FORMULA_STARTS)
    ):
        return value[1:]
    return value


def write_csv(table, stream, rows):
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([column.name for column in table.columns])
    writer.writerows([neutralise(value) for value in row] for row in rows)


def csv_text(table, queryset=None):
    """UTF-8 with a BOM, so that a French spreadsheet opens accents correctly."""
    buffer = io.StringIO()
    write_csv(table, buffer, table.rows(queryset))
    return "\ufeff" + buffer.getvalue()


class CsvExportMixin:
    """`?format=csv` on a filtered list: exactly its rows, every page at once, open data columns."""

    csv_table = None  # the Table of the list's record type

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.csv_response()
        return super().get(request, *args, **kwargs)

    def csv_response(self):
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            errors = "; ".join(
                f"{name} : {' '.join(messages)}" for name, messages in filterset.errors.items()
            )
            return HttpResponse(
                _("Filtres non valides : %(errors)s") % {"errors": errors},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        table = self.csv_table
        rows = table.queryset().filter(pk__in=filterset.qs.values("pk"))
        response = HttpResponse(csv_text(table, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="transfo-{table.name}.csv"'
        return response
