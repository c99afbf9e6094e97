"""The editors of `make loadtest`: two editors save the same records through the admin, over
HTTP, for N seconds, while readers load the site; then every save is checked.

Each editor opens a record's change page, changes one field as a browser would (the whole form
posted back) and saves. Editor A always changes the summary; editor B alternates between the
summary (same field: one of two simultaneous saves must be refused as a conflict, never lost)
and another text (different fields: merged). Afterwards, in the database and the history:

- every acknowledged save (302) is in the history, with its value;
- versions run without gap, one per acknowledged save: no two saves from the same version;
- between two consecutive versions, only the field of one save changed: no save brought back an
  older value of another field (a lost write);
- the record holds the values of its latest version.

Usage: editor.py SECONDS BASE_URL [INTERVAL]: each editor saves at most once per INTERVAL
seconds (default 0: as fast as the server answers).

Prints a JSON summary; exits 1 on any error (HTTP status other than 200/302) or lost write.
"""

import json
import os
import re
import sys
import threading
import time
import uuid
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "transfo.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402

from cases.models import CaseStudy  # noqa: E402
from practices.models import Practice  # noqa: E402

PASSWORD = "loadtest-editeur-2026"  # nosec B105 — a throwaway account of the load test
SECOND_FIELD = {Practice: "obstacles", CaseStudy: "limits"}


class FormParser(HTMLParser):
    """The values a browser would post from the admin's change form."""

    def __init__(self):
        super().__init__()
        self.data, self.in_form, self.textarea, self.select, self.multiple = (
            [],
            False,
            None,
            None,
            False,
        )
        self.selected = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self.in_form = True
        if not self.in_form or "name" not in attrs and tag not in {"option"}:
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.data.append(
                (attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
            )
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.data.append((self.select, attrs.get("value", "")))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # The browser drops the newline that follows <textarea>.
            self.data.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.in_form = False


class NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Editor:
    def __init__(self, base, username):
        self.base, self.username = base, username
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()), NoRedirect)
        self.saved, self.conflicts, self.errors = [], 0, []

    def request(self, path, data=None):
        body = urlencode(data, doseq=True).encode() if data is not None else None
        request = Request(self.base + path, data=body)
        if body is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode("utf-8")
        except HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def log_in(self):
        _, page = self.request("/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _ = self.request(
            "/admin/login/?next=/admin/",
            {"csrfmiddlewaretoken": token, "username": self.username, "password": PASSWORD},
        )
        if status != 302:
            raise RuntimeError(f"{self.username} cannot log in ({status})")

    def save(self, record, field, number):
        path = f"/admin/{record._meta.app_label}/{record._meta.model_name}/{record.pk}/change/"
        status, page = self.request(path)
        if status != 200:
            self.errors.append((path, status))
            return
        parser = FormParser()
        parser.feed(page)
        value = f"{self.username} n° {number} ({uuid.uuid4().hex[:8]})"
        data = [(name, item) for name, item in parser.data if name != field]
        data.append((field, value))
        data.append(("_save", "Enregistrer"))
        status, page = self.request(path, data)
        if status == 302:
            self.saved.append((type(record), record.pk, field, value))
        elif status == 200 and "errornote" in page:
            self.conflicts += 1
        else:
            self.errors.append((path, status))

    def run(self, records, deadline, alternate, interval):
        self.log_in()
        number = 0
        next_save = time.monotonic()
        while time.monotonic() < deadline:
            # At most one save per `interval` seconds (0: as fast as the server answers).
            time.sleep(max(0.0, next_save - time.monotonic()))
            next_save += interval
            record = records[number % len(records)]
            field = SECOND_FIELD[type(record)] if alternate and number % 2 else "summary"
            try:
                self.save(record, field, number)
            except OSError as error:
                self.errors.append((str(record), repr(error)))
            number += 1


def editors_accounts():
    group = Group.objects.get(name="Éditeurs")
    names = []
    for name in ["editeur-charge-a", "editeur-charge-b"]:
        user, _ = get_user_model().objects.get_or_create(username=name, defaults={"is_staff": True})
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(group)
        names.append(name)
    return names


def check(record, start_version, saves):
    """The lost writes of one record: saves missing from the history, repeated or skipped
    versions, and versions that changed more than the field of one save."""
    fields = ["summary", SECOND_FIELD[type(record)]]
    # Links (M2M) set after a save add a history entry with the same version: keep the last.
    latest = {}
    for entry in (
        type(record)
        .history.filter(id=record.pk, version__gte=start_version)
        .order_by("history_date")
    ):
        latest[entry.version] = entry
    history = [latest[version] for version in sorted(latest)]
    problems = []
    versions = [h.version for h in history]
    if versions != list(range(start_version, start_version + len(versions))):
        problems.append(f"versions {versions[:3]}…: manquantes")
    by_value = {(field, value) for _, _, field, value in saves}
    for earlier, later in zip(history, history[1:], strict=False):
        changed = [f for f in fields if getattr(earlier, f) != getattr(later, f)]
        if len(changed) != 1 or (changed[0], getattr(later, changed[0])) not in by_value:
            problems.append(f"version {later.version} change {changed}")
    recorded = {(f, getattr(h, f)) for h in history for f in fields}
    problems += [f"enregistrement absent de l'historique : {v}" for v in by_value - recorded]
    current = type(record).objects.get(pk=record.pk)
    if history and any(getattr(current, f) != getattr(history[-1], f) for f in fields):
        problems.append("la fiche ne porte pas les valeurs de sa dernière version")
    if len(history) - 1 != len(saves):
        problems.append(f"{len(saves)} enregistrements acquittés, {len(history) - 1} versions")
    return problems


def main(seconds, base, interval):
    # Practices and cases the readers request (their pages must stay fast and correct while
    # they change); the edits keep them published.
    records = list(Practice.objects.published().order_by("slug")[:4]) + list(
        CaseStudy.objects.published().order_by("slug")[:4]
    )
    start = {(type(r), r.pk): r.version for r in records}
    names = editors_accounts()
    editors = [Editor(base, names[0]), Editor(base, names[1])]
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=editor.run, args=(records, deadline, index == 1, interval))
        for index, editor in enumerate(editors)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saves = [save for editor in editors for save in editor.saved]
    lost = []
    for record in records:
        mine = [s for s in saves if (s[0], s[1]) == (type(record), record.pk)]
        lost += [f"{record}: {p}" for p in check(record, start[(type(record), record.pk)], mine)]
    errors = [error for editor in editors for error in editor.errors]
    summary = {
        "saves_acknowledged": len(saves),
        "conflicts_shown": sum(editor.conflicts for editor in editors),
        "errors": len(errors),
        "lost_writes": len(lost),
        "details": (errors + lost)[:10],
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0 if not errors and not lost else 1


if __name__ == "__main__":
    sys.exit(
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 60,
            sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8766",
            float(sys.argv[3]) if len(sys.argv) > 3 else 0.0,
        )
    )
