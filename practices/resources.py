"""Import and export of content records in the admin (CSV, XLSX), keyed by slug."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.widgets import ManyToManyWidget

from core.imports import FrenchImportMixin, IntegerWidget, RecordsWidget, RecordWidget
from core.opendata import neutralise, restore
from core.versioning import stored_version

from .models import Finding, Orientation, Piste, Practice, Source, Tag, Theme

PROVENANCE = ("source", "pages", "section", "editor_note", "status", "version")


def by_slug(model, column, many=False):
    """A link given by the slug (or the name) of the linked record; « | » between several."""
    widget = RecordsWidget(model) if many else RecordWidget(model)
    return fields.Field(attribute=column, column_name=column, widget=widget)


class VersionedResource(FrenchImportMixin, resources.ModelResource):
    """An import is a save of many records, with the checks of the admin form:

    - the columns are read as the export writes them (French headers and labels, see
      `FrenchImportMixin`), and every problem is said with its line and column;
    - only the fields the person may edit in the form are written (`editable_fields`, given by
      the admin; the others are ignored);
    - each row is validated like the form (`full_clean`: lengths, choices, constraints);
    - a row that updates a record carries the `version` it was exported at; if someone saved the
      record since, the row is refused instead of overwriting their change.
    """

    version = fields.Field(attribute="version", column_name="version", widget=IntegerWidget())

    def __init__(self, editable_fields=None, **kwargs):
        super().__init__(**kwargs)
        self.editable_fields = editable_fields

    def import_data(self, dataset, **kwargs):
        # Nothing is written if any row is wrong: invalid rows roll the whole import back too.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    def export_field(self, field, instance, **kwargs):
        # Every CSV and XLSX cell of an export is safe to open in a spreadsheet…
        return neutralise(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        # …and an exported file imported back gives the texts as they were.
        for name, value in list(row.items()):
            row[name] = restore(value)
        super().before_import_row(row, **kwargs)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if (
            self.editable_fields is not None
            and field.attribute not in self.editable_fields
            and field.attribute not in {"version", *self._meta.import_id_fields}
        ):
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # Links are written after the record; check them now, so that a bad one stops the row
        # with a message instead of failing halfway (or being dropped silently).
        for field in self.get_import_fields():
            if isinstance(field.widget, ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(str(error))
        if instance.pk is None:
            instance.version = 1
        else:
            errors.update(self.version_errors(instance, row))
        if errors:
            raise ValidationError(errors)

    def version_errors(self, instance, row):
        if str(row.get(self.fields["version"].column_name) or "").strip() == "":
            return {
                "version": _(
                    "La colonne « Version » est vide : pour modifier une fiche existante, "
                    "partez d’un export récent, qui donne la version de chaque fiche."
                )
            }
        current = stored_version(instance, lock=True)
        if instance.version != current:
            return {
                "version": _(
                    "La fiche « %(slug)s » a été modifiée depuis votre export (version "
                    "%(loaded)s, actuelle %(current)s) : refaites un export pour partir de sa "
                    "version actuelle."
                )
                % {"slug": instance.slug, "loaded": instance.version, "current": current}
            }
        return {}


class ContentResource(VersionedResource):
    """Rows are matched on their slug; each row is validated like an admin form before saving."""

    source = by_slug(Source, "source")

    class Meta:
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class SourceResource(VersionedResource):
    class Meta:
        model = Source
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "title",
            "short_title",
            "publisher",
            "authors",
            "date_label",
            "year",
            "kind",
            "description",
            "editor_note",
            "status",
            "version",
        )
        clean_model_instances = True


class PracticeResource(ContentResource):
    themes = by_slug(Theme, "themes", many=True)

    class Meta(ContentResource.Meta):
        model = Practice
        fields = (
            "slug",
            "title",
            "family",
            "summary",
            "description",
            "success_factors",
            "obstacles",
            "themes",
            *PROVENANCE,
        )


class OrientationResource(ContentResource):
    class Meta(ContentResource.Meta):
        model = Orientation
        fields = ("slug", "number", "title", "summary", *PROVENANCE)


class PisteResource(ContentResource):
    orientation = by_slug(Orientation, "orientation")
    tags = by_slug(Tag, "tags", many=True)
    practices = by_slug(Practice, "practices", many=True)
    themes = by_slug(Theme, "themes", many=True)

    class Meta(ContentResource.Meta):
        model = Piste
        fields = (
            "slug",
            "orientation",
            "number",
            "title",
            "lever",
            "details",
            "printed_tags",
            "tags",
            "practices",
            "themes",
            *PROVENANCE,
        )


class FindingResource(ContentResource):
    practices = by_slug(Practice, "practices", many=True)
    pistes = by_slug(Piste, "pistes", many=True)
    themes = by_slug(Theme, "themes", many=True)

    class Meta(ContentResource.Meta):
        model = Finding
        fields = (
            "slug",
            "kind",
            "code",
            "title",
            "summary",
            "details",
            "places",
            "practices",
            "pistes",
            "themes",
            *PROVENANCE,
        )
