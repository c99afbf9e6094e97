from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import FoldedSearchMixin, WorkflowAdminMixin

from . import resources
from .models import Finding, Orientation, Piste, Practice, Source, Tag, Theme


class VersionedForm(forms.ModelForm):
    """Refuses to save over a version of the record that someone else has saved meanwhile."""

    # The version the editor opened; compared at save time with the version in the database.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and "loaded_version" in self.fields:
            self.fields["loaded_version"].initial = self.instance.version
            self.fields["loaded_version"].required = True

    def clean(self):
        cleaned = super().clean()
        submitted = cleaned.get("loaded_version")
        if (
            self.instance.pk is not None
            and submitted is not None
            and submitted != self.instance.version
        ):
            raise ValidationError(conflict_message(self.instance, submitted), code="conflict")
        return cleaned


def conflict_message(instance, loaded_version):
    """Who saved the record since the editor opened it, when, and which fields changed."""
    history = getattr(instance, "history", None)
    latest = history.first() if history is not None else None
    loaded = history.filter(version=loaded_version).first() if history is not None else None
    changed = []
    if latest is not None and loaded is not None:
        for change in latest.diff_against(loaded).changes:
            field = instance._meta.get_field(change.field)
            changed.append(str(getattr(field, "verbose_name", change.field)))
    who = (
        str(latest.history_user) if latest is not None and latest.history_user else _t("quelqu’un")
    )
    when = date_format(latest.history_date, "DATETIME_FORMAT") if latest is not None else ""
    fields = ", ".join(changed) if changed else _t("des champs")
    return _t(
        "Pendant que vous modifiiez cette fiche, %(who)s l’a enregistrée (%(when)s) : %(fields)s "
        "ont changé. Votre saisie n’a pas été enregistrée pour ne pas effacer la sienne ; elle "
        "reste affichée ci-dessous. Ouvrez la fiche dans un nouvel onglet pour voir la version "
        "actuelle, reportez-y vos changements, puis enregistrez."
    ) % {"who": who, "when": when, "fields": fields}


class ContentAdmin(WorkflowAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    """What every content record's admin shares: the workflow buttons and readable history
    (core.admin), import and export, provenance, and the refusal of conflicting edits."""

    form = VersionedForm
    list_select_related = ["source"]
    readonly_fields = ["created_at", "updated_at"]
    prepopulated_fields = {"slug": ("title",)}
    provenance_fieldset = (
        _("Provenance"),
        {"fields": ("source", "pages", "section", "editor_note")},
    )
    status_fieldset = (
        _("Publication"),
        {"fields": ("status", "created_at", "updated_at", "loaded_version")},
    )


@admin.register(Source)
class SourceAdmin(ContentAdmin):
    list_display = ["short_title", "title", "kind", "date_label", "status"]
    list_select_related = []
    list_filter = ["status", "kind"]
    search_fields = ["title", "short_title", "publisher", "authors"]
    prepopulated_fields = {"slug": ("short_title",)}
    resource_classes = [resources.SourceResource]
    fieldsets = [
        (
            None,
            {
                "fields": (
                    "title",
                    "short_title",
                    "slug",
                    "kind",
                    "publisher",
                    "authors",
                    "date_label",
                    "year",
                )
            },
        ),
        (_("Présentation"), {"fields": ("description", "editor_note")}),
        ContentAdmin.status_fieldset,
    ]


@admin.register(Theme)
class ThemeAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Practice)
class PracticeAdmin(ContentAdmin):
    list_display = ["title", "family", "source", "pages", "status", "updated_at"]
    list_filter = ["status", "family", "source", "themes"]
    search_fields = ["title", "summary", "slug"]
    autocomplete_fields = ["themes", "source"]
    resource_classes = [resources.PracticeResource]
    fieldsets = [
        (None, {"fields": ("title", "slug", "family", "summary", "description")}),
        (_("Mise en œuvre"), {"fields": ("success_factors", "obstacles", "themes")}),
        ContentAdmin.provenance_fieldset,
        ContentAdmin.status_fieldset,
    ]

    def can_edit_content(self, request, obj=None):
        return request.user.has_perm("practices.change_practice_content")

    def get_readonly_fields(self, request, obj=None):
        # Trainers open a practice to link trainings to it; its content stays read-only for them.
        if obj is not None and not self.can_edit_content(request, obj):
            return [
                name
                for fieldset in self.fieldsets
                for name in fieldset[1]["fields"]
                if name != "loaded_version"
            ]
        return super().get_readonly_fields(request, obj)

    def get_prepopulated_fields(self, request, obj=None):
        return (
            {}
            if obj is not None and not self.can_edit_content(request, obj)
            else super().get_prepopulated_fields(request, obj)
        )


class PisteInline(admin.StackedInline):
    model = Piste
    extra = 0
    fields = [
        "number",
        "title",
        "slug",
        "status",
        "lever",
        "details",
        "printed_tags",
        "tags",
        "source",
        "pages",
        "section",
    ]
    autocomplete_fields = ["tags", "source"]
    prepopulated_fields = {"slug": ("title",)}
    # A piste is published from its own page, with the workflow's checks.
    readonly_fields = ["status"]
    show_change_link = True


@admin.register(Orientation)
class OrientationAdmin(ContentAdmin):
    list_display = ["number", "title", "source", "pages", "status"]
    list_display_links = ["title"]
    list_filter = ["status", "source"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["source"]
    inlines = [PisteInline]
    resource_classes = [resources.OrientationResource]
    fieldsets = [
        (None, {"fields": ("source", "number", "title", "slug", "summary")}),
        (_("Provenance"), {"fields": ("pages", "section", "editor_note")}),
        ContentAdmin.status_fieldset,
    ]


@admin.register(Piste)
class PisteAdmin(ContentAdmin):
    list_display = ["title", "orientation", "number", "printed_tags", "status"]
    list_filter = ["status", "source", "tags", "orientation"]
    list_select_related = ["source", "orientation"]
    search_fields = ["title", "lever", "details"]
    autocomplete_fields = ["orientation", "tags", "practices", "themes", "source"]
    resource_classes = [resources.PisteResource]
    fieldsets = [
        (None, {"fields": ("orientation", "number", "title", "slug", "lever", "details")}),
        (_("Liens"), {"fields": ("printed_tags", "tags", "practices", "themes")}),
        ContentAdmin.provenance_fieldset,
        ContentAdmin.status_fieldset,
    ]


@admin.register(Finding)
class FindingAdmin(ContentAdmin):
    list_display = ["title", "kind", "code", "source", "pages", "status"]
    list_filter = ["status", "kind", "source"]
    list_select_related = ["source"]
    search_fields = ["title", "code", "summary"]
    autocomplete_fields = ["practices", "pistes", "themes", "source"]
    prepopulated_fields = {"slug": ("title",)}
    resource_classes = [resources.FindingResource]
    fieldsets = [
        (None, {"fields": ("kind", "code", "title", "slug", "summary", "details", "places")}),
        (_("Liens"), {"fields": ("practices", "pistes", "themes")}),
        ContentAdmin.provenance_fieldset,
        ContentAdmin.status_fieldset,
    ]
