from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from practices.admin import ContentAdmin, GuardedHistoryMixin

from . import resources
from .images import IllustrationField
from .models import CaseStudy, Territory
from .services import casestudy_make_thumbnail


@admin.register(Territory)
class TerritoryAdmin(GuardedHistoryMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "departement", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "departement", "region", "code"]
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ["created_at", "updated_at"]


@admin.register(CaseStudy)
class CaseStudyAdmin(ContentAdmin):
    list_display = ["title", "kind", "territory", "period", "source", "pages", "status"]
    list_filter = ["status", "kind", "source", "territory__kind", "territory__region", "themes"]
    list_select_related = ["source", "territory"]
    search_fields = ["title", "summary", "territory__name", "commissioner"]
    autocomplete_fields = ["territory", "practices", "themes", "pistes", "source"]
    resource_classes = [resources.CaseStudyResource]
    formfield_overrides = {models.ImageField: {"form_class": IllustrationField}}
    fieldsets = [
        (None, {"fields": ("kind", "title", "slug", "territory", "commissioner", "summary")}),
        (_("Période"), {"fields": ("period", "year_start", "year_end")}),
        (
            _("Contenu"),
            {"fields": ("key_facts", "method", "actors", "results", "success_factors", "limits")},
        ),
        (_("Liens"), {"fields": ("practices", "themes", "pistes")}),
        (_("Illustration"), {"fields": ("illustration", "illustration_alt")}),
        ContentAdmin.provenance_fieldset,
        ContentAdmin.status_fieldset,
    ]

    def save_model(self, request, obj, form, change):
        try:
            super().save_model(request, obj, form, change)
            if "illustration" in form.changed_data:
                casestudy_make_thumbnail(obj)
        except BaseException:
            # The transaction is rolled back: the file just written would be referenced by
            # nothing. The previous illustration is kept (the history may still point at it).
            if "illustration" in form.changed_data and obj.illustration:
                obj.illustration.delete(save=False)
            raise
