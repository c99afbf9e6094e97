"""Imports in the admin: where an uploaded file waits between its preview and its confirmation,
how French spreadsheets are read, and what a person importing one sees (French headers and
labels, problems located in the file, a preview field by field)."""

import csv
import io
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from uuid import uuid4

import tablib
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    SuspiciousFileOperation,
    ValidationError,
)
from django.db import models
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets
from import_export.formats.base_formats import CSV
from import_export.forms import ImportForm
from import_export.resources import Diff
from import_export.results import RowResult
from import_export.tmp_storages import TempFolderStorage

from core.history import FieldChange, word_diff
from core.text import fold

logger = logging.getLogger(__name__)

# Only the names this storage gives out: the confirmation form posts the name back, and any
# other name (a path, another file of the temp directory) must never be read nor deleted.
NAME = re.compile(r"^[0-9a-f]{32}$")


def import_directory():
    directory = Path(tempfile.gettempdir()) / "transfo-imports"
    directory.mkdir(mode=0o700, exist_ok=True)
    return directory


class ImportFileStorage(TempFolderStorage):
    """django-import-export's temp-folder storage, confined to its own directory and names."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.name is not None and not NAME.fullmatch(str(self.name)):
            raise SuspiciousFileOperation("Nom de fichier d'import non valide.")

    def get_full_path(self):
        return str(import_directory() / self.name)

    def save(self, data):
        self.name = self.name or uuid4().hex
        binary = isinstance(data, bytes)
        with open(
            self.get_full_path(),
            "wb" if binary else "w",
            encoding=None if binary else self.encoding,
        ) as file:
            file.write(data)

    def read(self):
        binary = "b" in self.read_mode
        with open(
            self.get_full_path(), self.read_mode, encoding=None if binary else self.encoding
        ) as file:
            return file.read()

    def remove(self):
        try:
            os.remove(self.get_full_path())
        except FileNotFoundError:
            pass


class SpreadsheetCSV(CSV):
    """CSV as French spreadsheets write it: UTF-8 with or without BOM, or Windows-1252 (Excel's
    « CSV (séparateur : point-virgule) »), with commas or semicolons. The bytes are decoded here
    (the format is "binary" for django-import-export) so that no encoding is imposed before."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes) and b"\x00" in in_stream:
            # No spreadsheet writes NUL bytes in a CSV: it is another kind of file.
            raise ValueError("not a text file")
        if isinstance(in_stream, bytes):
            try:
                text = in_stream.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = in_stream.decode("cp1252", errors="replace")
        else:
            text = in_stream.lstrip("\ufeff")
        header = text.split("\n", 1)[0]
        delimiter = ";" if header.count(";") > header.count(",") else ","
        return tablib.import_set(text, format="csv", delimiter=delimiter)


class SemicolonCSV(CSV):
    """The admin's CSV export as French Excel opens it with a double click: semicolons (French
    Excel splits on its list separator, « ; », and shows a comma file in one column)."""

    def export_data(self, dataset, **kwargs):
        kwargs.setdefault("delimiter", ";")
        return super().export_data(dataset, **kwargs)


# A whole export of the site is well under these (about 150 cases, 110 trainings); a bigger file
# is a mistake, or an attack that would hold a worker for minutes: every row is checked against
# the database, about 25 ms a row for the preview and 65 ms to write (300 cases, SQLite).
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 1_000


class SpreadsheetImportForm(ImportForm):
    def clean_import_file(self):
        file = self.cleaned_data["import_file"]
        if file.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                _(
                    "Ce fichier fait %(size)s Mo ; un import en accepte %(max)s au plus. "
                    "Découpez-le en plusieurs fichiers."
                )
                % {
                    "size": number_format(file.size / 1024 / 1024, 1),
                    "max": MAX_IMPORT_BYTES // 1024 // 1024,
                }
            )
        return file


READ_FAILURE = gettext_lazy(
    "Ce fichier ne se lit pas comme un tableau. Enregistrez-le depuis votre tableur au format "
    "CSV (séparateur point-virgule) ou Excel (.xlsx), vérifiez le format choisi ci-dessous, "
    "puis chargez-le à nouveau."
)


# --- Columns: one French header per field, read and written the same way ------------------------


def field_header(model, attribute):
    """The column header of a field: its French name in the admin form (« Titre », « Type »)."""
    try:
        return capfirst(str(model._meta.get_field(attribute).verbose_name))
    except FieldDoesNotExist:
        return capfirst(attribute)


def record_name_field(model):
    """The field a person names a record by, besides its slug."""
    names = {field.name for field in model._meta.get_fields()}
    return next((name for name in ("name", "short_title", "title") if name in names), None)


def _shown(value, limit=80):
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _french_list(items):
    return ", ".join(f"« {item} »" for item in items)


class ChoiceWidget(widgets.Widget):
    """A choice field, written with its French label (« Publié ») and read from the label or
    the code (« published »), whatever the capitals and accents."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = [(str(code), str(label)) for code, label in choices]

    def allowed(self):
        return ", ".join(label for _code, label in self.choices)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return ""
        wanted = fold(text)
        for code, label in self.choices:
            if wanted in (fold(code), fold(label)):
                return code
        raise ValueError(
            _("« %(value)s » n’est pas une valeur possible. Valeurs possibles : %(allowed)s.")
            % {"value": _shown(text), "allowed": self.allowed()}
        )

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, value or "")


_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f]")


def _spreadsheet_number(value):
    """(empty, number) of a cell as French spreadsheets write numbers (« 2 019 », « 2,5 »):
    number is None when the text is not a finite number."""
    text = _NUMBER_SPACES.sub("", "" if value is None else str(value))
    if not text:
        return True, None
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return False, None
    return False, number if number.is_finite() else None


class IntegerWidget(widgets.Widget):
    """A whole number as a spreadsheet writes it (« 2019 », « 2 019 », « 2019,0 »)."""

    def clean(self, value, row=None, **kwargs):
        empty, number = _spreadsheet_number(value)
        if empty:
            return None
        if number is None or number != number.to_integral_value():
            raise ValueError(
                _("« %(value)s » n’est pas un nombre entier (exemple : 2019).")
                % {"value": _shown(value)}
            )
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DecimalWidget(widgets.Widget):
    """A decimal number with a comma, as French spreadsheets write it (« 2,5 »), or a point."""

    def clean(self, value, row=None, **kwargs):
        empty, number = _spreadsheet_number(value)
        if empty:
            return None
        if number is None:
            raise ValueError(
                _("« %(value)s » n’est pas un nombre (exemple : 2,5).") % {"value": _shown(value)}
            )
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else f"{value.normalize():f}".replace(".", ",")


class RecordWidget(widgets.ForeignKeyWidget):
    """A linked record, given by its slug or by its name when one record only has that name.
    An unknown one is an error that names it, never dropped."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="slug", **kwargs)
        self.name_field = record_name_field(model)
        # The same few records are named on row after row (and each link column is read three
        # times per row by django-import-export): found once per import. A resource, and its
        # widgets, lives for one import.
        self.found = {}

    def find(self, text):
        if text not in self.found:
            self.found[text] = self.lookup(text)
        return self.found[text]

    def lookup(self, text):
        manager = self.model._default_manager
        found = manager.filter(slug=text).first()
        if found is not None:
            return found
        named = list(manager.filter(**{f"{self.name_field}__iexact": text})[:5])
        if not named:
            # Accents and capitals aside, a name often is its slug (« Pessac » → pessac).
            found = manager.filter(slug=slugify(text)).first()
            if found is not None:
                return found
            raise ValueError(
                _(
                    "Aucune fiche « %(model)s » n’a le slug ou le nom « %(value)s ». Indiquez "
                    "le slug d’une fiche existante (voir l’export)."
                )
                % {"model": self.model._meta.verbose_name, "value": _shown(text)}
            )
        if len(named) > 1:
            raise ValueError(
                _(
                    "Plusieurs fiches « %(model)s » s’appellent « %(value)s » : indiquez "
                    "plutôt le slug de celle que vous voulez (%(slugs)s)."
                )
                % {
                    "model": self.model._meta.verbose_name,
                    "value": _shown(text),
                    "slugs": _french_list(item.slug for item in named),
                }
            )
        return named[0]

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        return self.find(text) if text else None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.slug


class RecordsWidget(widgets.ManyToManyWidget):
    """Several linked records, separated by « | », each given by its slug or its name."""

    def __init__(self, model, **kwargs):
        super().__init__(model, separator="|", field="slug", **kwargs)
        self.one = RecordWidget(model)

    def clean(self, value, row=None, **kwargs):
        items = [item.strip() for item in str(value or "").split(self.separator)]
        found, problems = [], []
        for item in dict.fromkeys(item for item in items if item):
            try:
                found.append(self.one.find(item))
            except ValueError as error:
                problems.append(str(error))
        if problems:
            raise ValueError(" ".join(problems))
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.separator.join(sorted(record.slug for record in value.all()))


# --- Resources: French headers, errors located in the file, a preview field by field ------------


@dataclass
class Problem:
    """One thing to fix in the file, where a spreadsheet user finds it (the header is line 1)."""

    line: int | None
    column: str
    value: str | None  # None: the column is not in the file
    message: str
    expected: str = ""


@dataclass
class ColumnHelp:
    header: str
    expected: str


class FieldChanges(Diff):
    """The preview of a row: the fields it changes, each with its old and new value (word
    diff), instead of django-import-export's table of every column."""

    def __init__(self, resource, instance, new):
        self.resource = resource
        super().__init__(resource, instance, new)

    def as_html(self):
        changes = []
        fields = self.resource.get_import_fields()
        for field, old, new in zip(fields, self.left, self.right, strict=False):
            if field.attribute in self.resource.hidden_in_preview:
                continue
            old, new = ("" if self.new else str(old or "")), str(new or "")
            if old == new:
                continue
            if self.new:
                # A new record has nothing to compare with: its values, not a diff.
                old_html, new_html = "", format_html("{}", new)
            else:
                old_html, new_html = word_diff(old, new)
            changes.append(FieldChange(field.column_name, old_html, new_html))
        return changes


class ImportRowsError(Exception):
    """The file cannot be read row by row (its headers); the problems are in `resource.problems`."""


class FrenchImportMixin:
    """What a person who imports a spreadsheet meets: French headers (the ones the export
    writes), French labels for choices, slugs or names for links, and, when something is wrong,
    a list of problems each naming the line, the column, the value and what is expected."""

    hidden_in_preview = {"version"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        model = self._meta.model
        for name, field in self.fields.items():
            attribute = field.attribute or name
            field.column_name = field_header(model, attribute)
            try:
                model_field = model._meta.get_field(attribute)
            except FieldDoesNotExist:
                model_field = None
            if model_field is not None and model_field.choices:
                field.widget = ChoiceWidget(model_field.flatchoices)
            elif isinstance(model_field, models.DecimalField):
                field.widget = DecimalWidget()
            elif isinstance(model_field, models.IntegerField) or attribute == "version":
                field.widget = IntegerWidget()
        self.problems = []
        self._unreadable = False
        self._lines_by_key = {}

    # Headers

    def key_field(self):
        return self.fields[self._meta.import_id_fields[0]]

    def accepted_headers(self):
        """Folded header → the column it names: the French header, and the field's name, which
        the files exported before the French headers carry."""
        accepted = {}
        for name, field in self.fields.items():
            for alias in (field.column_name, field.attribute or name, name):
                accepted.setdefault(fold(alias), field.column_name)
        return accepted

    def header_problem(self, message):
        self.problems.append(
            Problem(
                1,
                "",
                None,
                message,
                _("Les colonnes possibles : %(headers)s.")
                % {"headers": ", ".join(field.column_name for field in self.fields.values())},
            )
        )

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        headers = [str(header or "").strip() for header in (dataset.headers or [])]
        # A spreadsheet often leaves empty columns after the last one: they are no column.
        keep = [
            index
            for index, header in enumerate(headers)
            if header or any(str(row[index] or "").strip() for row in dataset)
        ]
        if len(dataset) > MAX_IMPORT_ROWS:
            self.header_problem(
                _("Le fichier a %(rows)s lignes ; un import en accepte %(max)s au plus.")
                % {"rows": len(dataset), "max": MAX_IMPORT_ROWS}
            )
        accepted = self.accepted_headers()
        for index in keep:
            if not headers[index]:
                self.header_problem(
                    _("La colonne %(number)s n’a pas d’en-tête mais contient des valeurs.")
                    % {"number": index + 1}
                )
            elif fold(headers[index]) not in accepted:
                self.header_problem(
                    _("La colonne « %(header)s » n’est pas une colonne connue.")
                    % {"header": _shown(headers[index])}
                )
        columns = [accepted.get(fold(headers[index])) for index in keep]
        for column in dict.fromkeys(column for column in columns if column):
            if columns.count(column) > 1:
                self.header_problem(
                    _("La colonne « %(header)s » apparaît plusieurs fois.") % {"header": column}
                )
        key = self.key_field().column_name
        if key not in columns:
            self.header_problem(
                _(
                    "La colonne « %(header)s » manque : elle désigne la fiche que chaque ligne "
                    "crée ou modifie."
                )
                % {"header": key}
            )
        if self.problems:
            self._unreadable = True
            raise ImportRowsError(self.problems[0].message)
        # An empty XLSX cell is None, an empty CSV cell "": the same empty value for every
        # widget (a None in a text field would reach the database's NOT NULL).
        rows = [["" if row[index] is None else row[index] for index in keep] for row in dataset]
        dataset.wipe()
        dataset.headers = columns
        dataset.extend(rows)

    # Rows

    def import_row(self, row, instance_loader, **kwargs):
        row_result = self.get_row_result_class()()
        if self._unreadable:
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            return row_result
        line = kwargs["row_number"] + 1
        key_column = self.key_field().column_name
        key = str(row.get(key_column) or "").strip()
        if key and key in self._lines_by_key:
            error = ValidationError(
                {
                    self.key_field().attribute: _(
                        "Cette fiche est déjà à la ligne %(line)s : une fiche ne peut être "
                        "qu’une fois dans le fichier."
                    )
                    % {"line": self._lines_by_key[key]}
                }
            )
        else:
            self._lines_by_key.setdefault(key, line)
            row_result = super().import_row(row, instance_loader, **kwargs)
            error = row_result.validation_error
            if row_result.errors:
                # Not foreseen by the checks: said in French, the details go to the log.
                logger.error("Import row %s failed", line, exc_info=row_result.errors[0].error)
                self.problems.append(
                    Problem(
                        line,
                        "",
                        None,
                        _(
                            "Cette ligne n’a pas pu être enregistrée (erreur inattendue). "
                            "Vérifiez ses valeurs ; si le problème persiste, signalez-le avec "
                            "le fichier."
                        ),
                    )
                )
                return row_result
        if error is not None:
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = error
            self.problems.extend(self.located(line, row, error))
        return row_result

    def located(self, line, row, error):
        by_attribute = {field.attribute: field for field in self.fields.values()}
        try:
            error_dict = error.message_dict
        except AttributeError:
            error_dict = {NON_FIELD_ERRORS: error.messages}
        for attribute, messages in error_dict.items():
            field = by_attribute.get(attribute)
            if attribute == NON_FIELD_ERRORS:
                column, value, expected = "", None, ""
            elif field is None:
                column = field_header(self._meta.model, attribute)
                value, expected = None, ""
            else:
                column = field.column_name
                value = _shown(row[column]) if column in row else None
                expected = self.expected(field)
            for message in messages:
                if message in self.missing_value_messages():
                    message = (
                        _("La valeur manque : elle est obligatoire.")
                        if value is not None
                        else _("Cette colonne est obligatoire pour créer une fiche.")
                    )
                yield Problem(line, column, value, message, expected)

    @staticmethod
    def missing_value_messages():
        # Django's wording for an empty required field (« la valeur nulle ») is a developer's.
        messages = models.Field.default_error_messages
        return {str(messages["null"]), str(messages["blank"])}

    def import_data(self, dataset, **kwargs):
        self.problems, self._unreadable, self._lines_by_key = [], False, {}
        result = super().import_data(dataset, **kwargs)
        result.problems = list(self.problems)
        return result

    def get_diff_class(self):
        return FieldChanges

    # What the import page and the template file say

    def expected(self, field):
        """What a column takes, said to a person filling a spreadsheet."""
        model = self._meta.model
        widget = field.widget
        try:
            model_field = model._meta.get_field(field.attribute)
        except FieldDoesNotExist:
            model_field = None
        if field.attribute == "version":
            return _(
                "Le numéro de version que l’export donne. Vide pour une nouvelle fiche ; "
                "obligatoire pour modifier une fiche (si quelqu’un l’a modifiée depuis "
                "l’export, la ligne est refusée au lieu d’écraser son travail)."
            )
        if field is self.key_field():
            return _(
                "L’identifiant de la fiche : minuscules sans accents, chiffres et tirets "
                "(« budget-vert »). Une fiche qui a ce slug est modifiée ; sinon la ligne crée "
                "une fiche."
            )
        parts = []
        if isinstance(widget, ChoiceWidget):
            parts.append(_("Une de ces valeurs : %(allowed)s.") % {"allowed": widget.allowed()})
        elif isinstance(widget, RecordsWidget):
            parts.append(
                _(
                    "Les slugs (ou les noms) de fiches « %(model)s » existantes, séparés par "
                    "« | » ; vide : aucune."
                )
                % {"model": widget.model._meta.verbose_name}
            )
        elif isinstance(widget, RecordWidget):
            parts.append(
                _("Le slug (ou le nom) d’une fiche « %(model)s » existante.")
                % {"model": widget.model._meta.verbose_name}
            )
        elif isinstance(widget, IntegerWidget):
            parts.append(_("Un nombre entier."))
        elif isinstance(widget, DecimalWidget):
            parts.append(_("Un nombre, virgule ou point décimal (2,5)."))
        elif isinstance(model_field, models.CharField) and model_field.max_length:
            parts.append(
                _("Un texte de %(max)s caractères au plus.") % {"max": model_field.max_length}
            )
        else:
            parts.append(_("Un texte libre."))
        if model_field is not None and getattr(model_field, "help_text", ""):
            parts.append(str(model_field.help_text))
        if model_field is not None and not model_field.many_to_many and not model_field.blank:
            parts.append(_("Obligatoire."))
        return " ".join(parts)

    def columns_help(self, editable_fields=None):
        return [
            ColumnHelp(field.column_name, self.expected(field))
            for field in self.template_fields(editable_fields)
        ]

    def ignored_headers(self, editable_fields=None):
        """Columns of the export that this person's import leaves as they are."""
        kept = set(self.template_fields(editable_fields))
        return [field.column_name for field in self.get_import_fields() if field not in kept]

    def template_fields(self, editable_fields=None):
        always = {"version", *self._meta.import_id_fields}
        return [
            field
            for field in self.get_import_fields()
            if editable_fields is None
            or field.attribute in editable_fields
            or field.attribute in always
        ]

    def template_csv(self, editable_fields=None):
        """The headers only, no example row: a forgotten example would be imported."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow([field.column_name for field in self.template_fields(editable_fields)])
        return "\ufeff" + buffer.getvalue()
