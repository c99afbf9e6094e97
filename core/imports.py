"""Where the admin keeps an uploaded import file between its preview and its confirmation."""

import os
import re
import tempfile
from pathlib import Path
from uuid import uuid4

import tablib
from django.core.exceptions import SuspiciousFileOperation
from import_export.formats.base_formats import CSV
from import_export.tmp_storages import TempFolderStorage

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
