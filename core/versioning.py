"""No lost edit: forms that save a record only over the version the person opened.

When someone else saved the record meanwhile, the form compares three states — the version the
person opened (from the history), the version in the database, and what the person typed:

- the two people changed different fields: both changes are kept (merged), and the form says so;
- they changed the same field to different values: nothing is saved, the form shows the other
  value beside the person's input, which stays in the form; saving again keeps the person's input.

The version is read under a row lock (`select_for_update`; on SQLite the write transaction is
IMMEDIATE, see settings), and the save itself is conditional on it (`core.models.VersionedModel`),
so of two simultaneous saves exactly one wins and the other sees the conflict.
"""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Records whose history keeps the instance being reverted (simple-history sets it on the copy).
HISTORY_ATTR = "_history"


def stored_version(instance, lock=False):
    """The version in the database now; under a row lock when inside a transaction."""
    queryset = type(instance)._base_manager.filter(pk=instance.pk)
    if lock and transaction.get_connection().in_atomic_block:
        queryset = queryset.select_for_update()
    return queryset.values_list("version", flat=True).first()


def normalise(value):
    """A comparable form of a field's value, from a form or from a model instance."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (models.QuerySet, list, tuple, set, frozenset)):
        return frozenset(normalise(item) for item in value)
    if isinstance(value, UploadedFile):
        return ("upload", id(value))
    if isinstance(value, FieldFile):
        return value.name or ""
    if value is False or value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def stored_value(instance, field):
    if field.many_to_many:
        return frozenset(getattr(instance, field.name).values_list("pk", flat=True))
    return normalise(field.value_from_object(instance))


def historical_value(record, field):
    """The value of a field in a history record; `...` when the history does not keep it."""
    if field.many_to_many:
        manager = getattr(record, field.name, None)
        if manager is None or not hasattr(manager, "values_list"):
            return ...
        target = f"{field.m2m_reverse_field_name()}_id"
        return frozenset(manager.values_list(target, flat=True))
    return normalise(field.value_from_object(record.instance))


def display_value(instance, field):
    if field.many_to_many:
        text = ", ".join(str(item) for item in getattr(instance, field.name).all())
    elif field.choices:
        text = str(getattr(instance, f"get_{field.name}_display")())
    else:
        value = getattr(instance, field.name)
        text = "" if value in (None, "") else str(value)
    return Truncator(text).chars(300) if text else _("(vide)")


def field_label(model, name):
    return str(model._meta.get_field(name).verbose_name)


def who_and_when(instance):
    """« editrice, le 29/11/2026 à 23:40 » in the site's time zone (Europe/Paris), or less."""
    history = getattr(instance, "history", None)
    latest = None
    if history is not None:
        # The entry of the version in the database: the save that came in between.
        latest = (
            history.filter(version=instance.version).order_by("-history_date").first()
            or history.order_by("-history_date").first()
        )
    if latest is None:
        return _("quelqu’un d’autre"), ""
    who = str(latest.history_user) if latest.history_user else _("quelqu’un d’autre")
    when = timezone.localtime(latest.history_date)
    return who, _("le %(date)s à %(time)s") % {
        "date": date_format(when, "SHORT_DATE_FORMAT"),
        "time": date_format(when, "H:i"),
    }


class VersionedForm(forms.ModelForm):
    """Saves over the version the person opened, merging with or showing any change made since."""

    # The version the person opened; compared at save time with the version in the database.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.merged_fields = []
        if self.instance.pk is not None and "loaded_version" in self.fields:
            version = self.instance.version
            if hasattr(self.instance, HISTORY_ATTR):
                # Reverting: the person is looking at the version in the database, not the old one.
                version = stored_version(self.instance) or version
            self.fields["loaded_version"].initial = version
            self.fields["loaded_version"].required = True

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or "loaded_version" not in self.fields:
            return cleaned
        loaded = cleaned.get("loaded_version")
        if loaded is None:
            return cleaned
        current = stored_version(self.instance, lock=True)
        if current is None:
            raise ValidationError(
                _("Cette fiche a été supprimée pendant que vous la modifiiez."), code="deleted"
            )
        if loaded != current:
            self.reconcile(loaded, cleaned)
        # The save is conditional on this version (see core.models.VersionedModel).
        self.instance.version = current
        return cleaned

    def edited_fields(self):
        model = self._meta.model
        names = {field.name for field in model._meta.get_fields()}
        return [name for name in self.fields if name != "loaded_version" and name in names]

    def reconcile(self, loaded, cleaned):
        model = self._meta.model
        latest = model._base_manager.get(pk=self.instance.pk)
        history = getattr(model, "history", None)
        base = (
            history.filter(id=self.instance.pk, version=loaded).order_by("-history_date").first()
            if history is not None
            else None
        )
        who, when = who_and_when(latest)
        clashes = []
        theirs = []
        for name in self.edited_fields():
            if name in self.errors:
                continue
            field = model._meta.get_field(name)
            now = stored_value(latest, field)
            mine = normalise(cleaned.get(name))
            then = historical_value(base, field) if base is not None else ...
            if then is ...:
                # What the person opened is unknown: any difference is a clash.
                if mine != now:
                    clashes.append(name)
                continue
            if now == then:
                continue  # only the person (maybe) changed it
            if mine == then:
                theirs.append(name)  # only the other person changed it: take theirs
            elif mine != now:
                clashes.append(name)
        if clashes:
            for name in clashes:
                field = model._meta.get_field(name)
                self.add_error(
                    name,
                    _(
                        "%(who)s y a enregistré entre-temps : « %(value)s ». Votre saisie est "
                        "conservée ci-dessous."
                    )
                    % {"who": who, "value": display_value(latest, field)},
                )
            fields = ", ".join(f"« {field_label(model, name)} »" for name in clashes)
            message = ngettext(
                "Pendant que vous modifiiez cette fiche, %(who)s l’a enregistrée (%(when)s) et a "
                "changé le même champ que vous : %(fields)s. Rien n’a été enregistré. Comparez "
                "les deux valeurs, gardez ou corrigez votre saisie, puis enregistrez à nouveau.",
                "Pendant que vous modifiiez cette fiche, %(who)s l’a enregistrée (%(when)s) et a "
                "changé les mêmes champs que vous : %(fields)s. Rien n’a été enregistré. "
                "Comparez les valeurs, gardez ou corrigez votre saisie, puis enregistrez à "
                "nouveau.",
                len(clashes),
            ) % {"who": who, "when": when, "fields": fields}
            # Saving again means "keep my input": the next save is made over the current version.
            self.data = self.data.copy()
            self.data[self.add_prefix("loaded_version")] = latest.version
            raise ValidationError(message, code="conflict")
        for name in theirs:
            field = model._meta.get_field(name)
            cleaned[name] = (
                getattr(latest, name).all() if field.many_to_many else getattr(latest, name)
            )
        self.merged_fields = [field_label(model, name) for name in theirs]
        self.merged_with = (who, when)

    def merge_message(self):
        """What was merged, for the message after saving; empty when nothing was."""
        if not self.merged_fields:
            return ""
        who, when = self.merged_with
        return ngettext(
            "%(who)s a enregistré cette fiche pendant que vous la modifiiez (%(when)s) ; son "
            "changement du champ %(fields)s a été conservé avec les vôtres.",
            "%(who)s a enregistré cette fiche pendant que vous la modifiiez (%(when)s) ; ses "
            "changements des champs %(fields)s ont été conservés avec les vôtres.",
            len(self.merged_fields),
        ) % {
            "who": who,
            "when": when,
            "fields": ", ".join(f"« {name} »" for name in self.merged_fields),
        }


def link_values(form, instance):
    """The values of a link row's editable fields, as text, for rows that carry no version."""
    return {
        name: str(normalise(instance._meta.get_field(name).value_from_object(instance)))
        for name in link_fields(form)
    }


def link_fields(form):
    return [
        field.name
        for field in form._meta.model._meta.concrete_fields
        if not field.primary_key and not isinstance(field, models.DateTimeField)
    ]


class VersionedLinkForm(forms.ModelForm):
    """An inline row without a version (a training–practice link): refused when the person
    changed a row that someone else changed or deleted since the page was opened, instead of
    overwriting it. A row the person did not touch is left as it is in the database."""

    loaded_values = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.untouched = False
        if self.instance.pk is not None:
            self.fields["loaded_values"].initial = json.dumps(link_values(self, self.instance))

    def has_changed(self):
        if self.untouched:
            return False
        return any(name != "loaded_values" for name in self.changed_data)

    def clean(self):
        cleaned = super().clean()
        try:
            loaded = json.loads(cleaned.get("loaded_values") or "null")
        except ValueError:
            loaded = None
        if self.instance.pk is None or not isinstance(loaded, dict):
            return cleaned
        posted = {
            name: str(
                normalise(
                    cleaned[name]
                    if name in cleaned
                    else self.instance._meta.get_field(name).value_from_object(self.instance)
                )
            )
            for name in link_fields(self)
        }
        deleting = bool(cleaned.get("DELETE"))
        if posted == loaded and not deleting:
            self.untouched = True
            return cleaned
        queryset = type(self.instance)._base_manager.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            queryset = queryset.select_for_update()
        current = queryset.first()
        if current is None or link_values(self, current) != loaded:
            raise ValidationError(
                _(
                    "Ce lien a été modifié ou supprimé par quelqu’un d’autre pendant que vous "
                    "modifiiez la page ; votre changement n’a pas été enregistré. Rechargez la "
                    "page pour voir le lien actuel."
                ),
                code="conflict",
            )
        return cleaned
