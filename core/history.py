"""History people can read: French field names, labels instead of codes, names instead of ids,
and a word-level diff of each changed text, escaped before it is highlighted."""

import difflib
import re
from dataclasses import dataclass

from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Words and the spaces between them, so that the diff can be glued back exactly.
_TOKENS = re.compile(r"\s+|[^\s]+")
# Fields people never edit: showing them would bury the real changes.
HIDDEN_FIELDS = {"search_text", "version", "updated_at", "created_at", "thumbnail"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


def word_diff(old, new):
    """The old and new texts as HTML, removed words in <del> and added words in <ins>.

    Every piece goes through format_html, so that what an editor typed is escaped."""
    old_tokens, new_tokens = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    old_html, new_html = [], []
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if op == "equal":
            old_html.append(format_html("{}", before))
            new_html.append(format_html("{}", after))
            continue
        if before:
            old_html.append(format_html("<del>{}</del>", before))
        if after:
            new_html.append(format_html("<ins>{}</ins>", after))
    return _join(old_html), _join(new_html)


def _join(pieces):
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def _display(field, value):
    """A value as a person reads it: label of a choice, name of a linked record, list of names."""
    if value is None or value == "":
        return "—"
    if isinstance(field, models.ManyToManyField):
        return ", ".join(sorted(str(name) for name in value)) or "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("oui") if value else _("non")
    if isinstance(field, models.FileField):
        return str(getattr(value, "name", value)) or "—"
    return str(value)


def _m2m_names(field, rows):
    """simple-history gives the links of an M2M as through rows; people want the names."""
    column = field.m2m_reverse_field_name()
    values = [row.get(column) for row in rows]
    # With foreign_keys_are_objs, the rows hold the linked records (or DeletedObject stand-ins).
    ids = [value for value in values if isinstance(value, int)]
    found = field.related_model._default_manager.in_bulk(ids) if ids else {}
    names = []
    for value in values:
        if value is None:
            continue
        if isinstance(value, int):
            names.append(str(found[value]) if value in found else _("(supprimé)"))
        elif type(value).__name__ == "DeletedObject":
            names.append(_("(supprimé)"))
        else:
            names.append(str(value))
    return names


def readable_changes(model, newer, older):
    """The fields that differ between two historical records of `model`, readable."""
    delta = newer.diff_against(older, foreign_keys_are_objs=True)
    changes = []
    for change in delta.changes:
        if change.field in HIDDEN_FIELDS:
            continue
        field = model._meta.get_field(change.field)
        old, new = change.old, change.new
        if isinstance(field, models.ManyToManyField):
            old, new = _m2m_names(field, old or []), _m2m_names(field, new or [])
        old_text, new_text = _display(field, old), _display(field, new)
        old_html, new_html = word_diff(old_text, new_text)
        changes.append(
            FieldChange(
                capfirst(str(getattr(field, "verbose_name", change.field))), old_html, new_html
            )
        )
    return changes


HISTORY_TYPES = {
    "+": gettext_lazy("Création"),
    "~": gettext_lazy("Modification"),
    "-": gettext_lazy("Suppression"),
}


def person(user):
    if user is None:
        return _("aucun compte (chargement, script ou formulaire public)")
    return user.get_full_name() or user.get_username()
