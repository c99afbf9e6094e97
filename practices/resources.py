"""Import and export of content records in the admin (CSV, XLSX), keyed by slug."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

from .models import Finding, Orientation, Piste, Practice, Source, Tag, Theme

PROVENANCE = ("source", "pages", "section", "editor_note", "status")


def by_slug(model, column, many=False):
    widget = (
        ManyToManyWidget(model, field="slug", separator="|")
        if many
        else ForeignKeyWidget(model, field="slug")
    )
    return fields.Field(attribute=column, column_name=column, widget=widget)


class ContentResource(resources.ModelResource):
    """Rows are matched on their slug; each row is validated like an admin form before saving."""

    source = by_slug(Source, "source")

    class Meta:
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class SourceResource(resources.ModelResource):
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
