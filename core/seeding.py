"""Load the content fixtures without ever overwriting an editor's work.

For each record of the fixtures, `seed_content` compares three states: what the fixture says now,
what the database holds, and what the last run of `seed` wrote (kept in `SeededRecord`):

- not in the database and never seeded: created;
- not in the database but seeded before: an editor deleted it, so it stays deleted;
- in the database, equal to the fixture: nothing to do;
- in the database, unchanged since the last seed, fixture changed: updated to the fixture;
- in the database and changed by an editor: kept, and the differing fields are reported.

Only the fields a fixture holds are ever written: what editors add beside them (an illustration,
its alt text, the version number) is never touched. A link to a record an editor deleted is
dropped and reported, and a record that needs one (a training–practice link) is skipped and
reported: neither stops the run. A missing fixture directory or file stops it, loudly.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction

from core.models import SeededRecord

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
FIXTURE_FILES = [
    "taxonomy.json",
    "cnfpt-2022.json",
    "mnt-inet-2019.json",
    "inet-nina-simone.json",
    "reflexes-publics.json",
    "inet-regards-croises.json",
]
# Each model after the ones it points at, so that natural keys always resolve.
MODEL_ORDER = [
    "practices.source",
    "practices.theme",
    "practices.tag",
    "cases.territory",
    "practices.practice",
    "practices.orientation",
    "practices.piste",
    "practices.finding",
    "trainings.training",
    "trainings.trainingpractice",
    "cases.casestudy",
    "cases.casepractice",
]


class FixtureError(Exception):
    """The fixtures cannot be read at all (missing directory or file, broken JSON)."""


@dataclass
class SeedReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list = field(default_factory=list)  # (label, key, [fields]) changed by an editor
    deleted: list = field(default_factory=list)  # (label, key) deleted by an editor
    errors: list = field(default_factory=list)  # (label, key, message)
    # (label, key, target label, target key): links to records an editor deleted
    dropped: list = field(default_factory=list)

    @property
    def written(self):
        return self.created + self.updated


def read_fixtures(directory=FIXTURES_DIR, files=FIXTURE_FILES):
    """Every fixture entry, grouped by model, in loading order."""
    grouped = {label: [] for label in MODEL_ORDER}
    if not Path(directory).is_dir():
        raise FixtureError(f"Dossier des fixtures introuvable : {directory}")
    for name in files:
        path = Path(directory) / name
        if not path.is_file():
            raise FixtureError(f"Fichier de fixtures introuvable : {path}")
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            raise FixtureError(f"Fichier de fixtures illisible : {path} ({error})") from error
        for entry in entries:
            grouped[entry["model"]].append(entry)
    return grouped


def drop_deleted_links(model, entry, deleted_keys, report):
    """Remove from an entry the links to records an editor deleted; False if the entry cannot
    exist without one of them (a required foreign key)."""
    key = entry_key(model, entry)
    fields = dict(entry["fields"])
    for name, value in entry["fields"].items():
        model_field = model._meta.get_field(name)
        if not (model_field.many_to_many or model_field.many_to_one) or value is None:
            continue
        target = model_field.related_model._meta.label_lower
        if model_field.many_to_many:
            kept = []
            for item in value:
                item_key = item[0] if isinstance(item, (list, tuple)) else item
                if (target, item_key) in deleted_keys:
                    report.dropped.append((model._meta.label_lower, key, target, item_key))
                else:
                    kept.append(item)
            fields[name] = kept
        else:
            item_key = value[0] if isinstance(value, (list, tuple)) else value
            if (target, item_key) in deleted_keys:
                report.deleted.append((model._meta.label_lower, key))
                return None
    return {**entry, "fields": fields}


def deleted_by_editors():
    """(model, key) of every record seed created once and an editor deleted since."""
    deleted = set()
    for label in MODEL_ORDER:
        model = apps.get_model(label)
        if not any(field.name == "slug" for field in model._meta.fields):
            # A link between two records: what its ends' deletion leaves is reported by them.
            continue
        seeded = set(SeededRecord.objects.filter(model=label).values_list("key", flat=True))
        present = set(model._default_manager.values_list("slug", flat=True))
        deleted |= {(label, key) for key in seeded - present}
    return deleted


def entry_key(model, entry):
    """The record's natural key as one string: its slug, or the slugs of a link's two ends."""
    fields = entry["fields"]
    if "slug" in fields:
        return fields["slug"]
    ends = [field.name for field in model._meta.concrete_fields if field.many_to_one]
    return "|".join(fields[name][0] for name in ends)


def snapshot(model, fields):
    """A comparable, JSON-ready form of a record's fields (M2M order does not matter)."""
    result = {}
    for name, value in fields.items():
        model_field = model._meta.get_field(name)
        if model_field.many_to_many:
            value = sorted(
                list(item) if isinstance(item, (list, tuple)) else [item] for item in value
            )
        elif model_field.many_to_one:
            value = (
                None
                if value is None
                else list(value)
                if isinstance(value, (list, tuple))
                else [value]
            )
        else:
            value = model_field.to_python(value)
            if isinstance(value, Decimal):
                # "2", "2.0" and Decimal("2.0") are the same duration.
                value = value.quantize(Decimal(1).scaleb(-model_field.decimal_places))
        result[name] = value
    return json.loads(json.dumps(result, cls=DjangoJSONEncoder))


def current_state(instance, names):
    data = serializers.serialize(
        "python", [instance], use_natural_foreign_keys=True, use_natural_primary_keys=True
    )[0]["fields"]
    return snapshot(type(instance), {name: data.get(name) for name in names})


def save_entry(deserialized, names, target=None):
    """Save a deserialized record through the model's own save() (search text included).

    On an existing record, only the fields the fixture holds are copied: the others (an
    illustration and its alt text, the version) are the editors' and stay as they are."""
    source = deserialized.object
    instance = target or source
    if target is not None:
        for name in names:
            model_field = type(target)._meta.get_field(name)
            if model_field.concrete and not model_field.many_to_many:
                setattr(target, model_field.attname, getattr(source, model_field.attname))
    # Checked here, not by the database, so that SQLite and PostgreSQL refuse the same records.
    instance.full_clean(validate_unique=False)
    instance.save()
    for name, values in deserialized.m2m_data.items():
        getattr(instance, name).set(values)
    return instance


def apply_entry(model, deserialized, names, wanted, previous):
    """Write one fixture record if that loses nothing; say what was done."""
    if deserialized.object.pk is None:
        if previous is not None:
            return "deleted"
        save_entry(deserialized, names)
        return "created"
    instance = model._default_manager.get(pk=deserialized.object.pk)
    current = current_state(instance, names)
    if current == wanted:
        return "unchanged"
    if previous is not None and current == previous.data:
        save_entry(deserialized, names, target=instance)
        return "updated"
    return sorted(name for name in names if current.get(name) != wanted.get(name))


@transaction.atomic
def seed_content(directory=FIXTURES_DIR, files=FIXTURE_FILES):
    report = SeedReport()
    grouped = read_fixtures(directory, files)
    deleted_keys = deleted_by_editors()
    for label, entries in grouped.items():
        model = apps.get_model(label)
        seeded = {record.key: record for record in SeededRecord.objects.filter(model=label)}
        for entry in entries:
            key = entry_key(model, entry)
            entry = drop_deleted_links(model, entry, deleted_keys, report)
            if entry is None:
                continue
            names = list(entry["fields"])
            wanted = snapshot(model, entry["fields"])
            try:
                deserialized = next(
                    serializers.deserialize("python", [entry], handle_forward_references=False)
                )
            except (DeserializationError, model.DoesNotExist, models.ObjectDoesNotExist) as error:
                report.errors.append((label, key, str(error)))
                continue
            previous = seeded.get(key)
            try:
                with transaction.atomic():
                    outcome = apply_entry(model, deserialized, names, wanted, previous)
            except (IntegrityError, ValidationError) as error:
                report.errors.append((label, key, str(error)))
                continue
            if outcome == "deleted":
                report.deleted.append((label, key))
            elif isinstance(outcome, list):
                report.kept.append((label, key, outcome))
            else:
                setattr(report, outcome, getattr(report, outcome) + 1)
                SeededRecord.objects.update_or_create(
                    model=label, key=key, defaults={"data": wanted}
                )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return report
