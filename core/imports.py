"""Where the admin keeps an uploaded import file between its preview and its confirmation."""

import os
import re
import tempfile
from pathlib import Path
from uuid import uuid4

from django.core.exceptions import SuspiciousFileOperation
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
