import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import XLSX
from import_export.forms import SelectableFieldsExportForm
from simple_history.admin import SimpleHistoryAdmin

from core.admin import FoldedSearchMixin, WorkflowAdminMixin
from core.imports import (
    READ_FAILURE,
    SemicolonCSV,
    SpreadsheetCSV,
    SpreadsheetImportForm,
    field_header,
)
from core.models import VersionConflict
from core.versioning import VersionedForm

from . import resources
from .models import Finding, Orientation, Piste, Practice, Source, Tag, Theme


class GuardedHistoryMixin:
    """simple-history lets anyone who may *view* a record post its revert form; reverting is a
    save, so it needs the rights of a save. Those who may not revert see the version read-only."""

    def can_edit_content(self, request, obj=None):
        return True

    def can_revert(self, request, obj=None):
        return self.has_change_permission(request, obj) and self.can_edit_content(request, obj)

    def revert_disabled(self, request, obj=None):
        return not self.can_revert(request, obj) or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self.can_revert(request):
            if request.method == "POST":
                raise PermissionDenied
            # Read-only, the form holds no field; simple-history would still look for the
            # prepopulated slug in it (KeyError: 'slug'). A copy per request keeps this local.
            viewer = copy.copy(self)
            viewer.prepopulated_fields = {}
            return super(GuardedHistoryMixin, viewer).history_form_view(
                request, object_id, version_id, extra_context
            )
        if request.method == "POST":
            # One transaction, so that the version check of the form holds its row lock.
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ExportForm(SelectableFieldsExportForm):
    def _get_field_label(self, resource, field_name):
        # The column's French header, as the file will have it (the library titles the
        # English field name: « Key Facts »).
        return field_header(resource._meta.model, field_name)

    @property
    def media(self):
        # "Select all" works under the strict CSP (see the script).
        return super().media + forms.Media(js=["js/admin-export-select-all.js"])


class ContentAdmin(
    WorkflowAdminMixin, GuardedHistoryMixin, ImportExportModelAdmin, SimpleHistoryAdmin
):
    """What every content record's admin shares: the workflow buttons and readable history
    (core.admin), history guarded by the rights of a save, import and export, provenance, and
    the refusal of conflicting edits."""

    form = VersionedForm
    export_form_class = ExportForm
    # CSV (as French spreadsheets write it) and XLSX; exports with semicolons and a BOM, so
    # that French Excel opens them in columns with their accents.
    import_formats = [SpreadsheetCSV, XLSX]
    export_formats = [SemicolonCSV, XLSX]
    to_encoding = "utf-8-sig"
    # French headers and labels, the columns explained, problems located, preview by field.
    import_template_name = "admin/content/import.html"
    import_form_class = SpreadsheetImportForm
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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except VersionConflict:
            # The form checks the version under a row lock, so this is a last resort only.
            self.message_user(
                request,
                _t(
                    "Quelqu’un a enregistré cette fiche au même instant que vous ; rien n’a été "
                    "enregistré de votre côté. Rechargez la fiche et refaites votre changement."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        reverting = hasattr(obj, "_history")  # a copy rebuilt from the history by simple-history
        if change and not form.has_changed() and not reverting:
            # Nothing of the record itself changed (a trainer linking a training from it):
            # no new version, so nobody's open form is blocked by it.
            return
        super().save_model(request, obj, form, change)
        merged = form.merge_message() if hasattr(form, "merge_message") else ""
        if merged:
            self.message_user(request, merged, messages.WARNING)

    # Import is a save of many records: the rights of a save, the fields the form lets the
    # person edit, and the form's checks (model validation and version).
    def has_import_permission(self, request):
        return (
            self.has_add_permission(request)
            and self.has_change_permission(request)
            and self.can_edit_content(request)
        )

    def get_export_filename(self, request, queryset, file_format):
        """« cas-2026-11-29.csv », « pratiques-2026-11-29.xlsx »."""
        name = slugify(self.model._meta.verbose_name_plural)
        return f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def editable_fields(self, request):
        fields = flatten_fieldsets(self.get_fieldsets(request))
        readonly = set(self.get_readonly_fields(request))
        editable = {name for name in fields if name not in readonly and name != "loaded_version"}
        return editable | self.links_edited_inline(request)

    def links_edited_inline(self, request):
        """Links the form edits in an inline of their link model (a case's practices): the
        import may set them when the person may add, change and delete those link rows."""
        through = {
            inline.model
            for inline in self.get_inline_instances(request)
            if inline.has_add_permission(request, None)
            and inline.has_change_permission(request)
            and inline.has_delete_permission(request)
        }
        return {
            field.name
            for field in self.model._meta.many_to_many
            if field.remote_field.through in through
        }

    def get_import_resource_kwargs(self, request, **kwargs):
        return {
            **super().get_import_resource_kwargs(request, **kwargs),
            "editable_fields": self.editable_fields(request),
        }

    def add_data_read_fail_error_to_form(self, form, e):
        # The library names the exception (« Erreur UnicodeDecodeError… »): no help to anyone.
        form.add_error("import_file", READ_FAILURE)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "import/modele/",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{opts.app_label}_{opts.model_name}_import_template",
            ),
            *super().get_urls(),
        ]

    def import_resource(self, request):
        resource_class = self.get_import_resource_classes(request)[0]
        return resource_class(**self.get_import_resource_kwargs(request))

    def import_template_view(self, request):
        """The file to fill: the columns this person may import, French headers, `;` and a
        BOM, as French Excel opens it."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.import_resource(request)
        response = HttpResponse(
            resource.template_csv(self.editable_fields(request)),
            content_type="text/csv; charset=utf-8",
        )
        name = slugify(self.model._meta.verbose_name_plural)
        response["Content-Disposition"] = f'attachment; filename="modele-import-{name}.csv"'
        return response

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse) and not response.is_rendered:
            response.context_data.update(self.import_help_context(request))
        return response

    def import_help_context(self, request):
        opts = self.model._meta
        resource, editable = self.import_resource(request), self.editable_fields(request)
        columns = resource.columns_help(editable)
        return {
            "template_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_import_template"),
            "columns_help": columns,
            "ignored_headers": resource.ignored_headers(editable),
            # The library's « will import the following fields » lists every column, also those
            # this person's import leaves as they are.
            "fields_list": [(resource.get_display_name(), [column.header for column in columns])],
        }

    def process_result(self, result, request):
        # Someone may have saved a record between the preview and the confirmation: nothing
        # was written then (all or nothing), and saying « import done » would be a lie.
        if result.has_errors() or result.has_validation_errors():
            context = {
                **self.admin_site.each_context(request),
                "title": _t("Importer"),
                "opts": self.model._meta,
                "result": result,
                # A fresh form, to load the corrected file.
                "form": self.get_import_form_class(request)(
                    self.get_import_formats(),
                    self.get_import_resource_classes(request),
                    initial=self.get_import_form_initial(request),
                ),
                **self.import_help_context(request),
            }
            return TemplateResponse(request, [self.import_template_name], context)
        return super().process_result(result, request)


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
    # Each piste is version-checked like its own form: an orientation saved from an old page
    # never overwrites a piste edited meanwhile.
    form = VersionedForm
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
        "loaded_version",
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
