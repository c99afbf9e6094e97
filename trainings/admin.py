from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.versioning import VersionedLinkForm
from practices.admin import ContentAdmin, PracticeAdmin
from practices.models import Practice

from .models import Training, TrainingPractice
from .resources import TrainingResource


class PracticeLinkInline(admin.TabularInline):
    """A training's practices, from the training's page."""

    model = TrainingPractice
    # A link edited from the other side meanwhile is never overwritten.
    form = VersionedLinkForm
    extra = 1
    fields = ["practice", "reason", "loaded_values"]
    autocomplete_fields = ["practice"]
    verbose_name = _("pratique enseignée")
    verbose_name_plural = _("pratiques enseignées")


class TrainingLinkInline(admin.TabularInline):
    """A practice's trainings, from the practice's page."""

    model = TrainingPractice
    form = VersionedLinkForm
    extra = 1
    fields = ["training", "reason", "loaded_values"]
    autocomplete_fields = ["training"]
    verbose_name = _("formation qui l'enseigne")
    verbose_name_plural = _("formations qui l'enseignent")


@admin.register(Training)
class TrainingAdmin(ContentAdmin):
    list_display = ["title", "domain", "duration_days", "duration_label", "format", "status"]
    list_filter = ["status", "domain", "format", "source"]
    search_fields = ["title", "objectives", "audience"]
    autocomplete_fields = ["themes", "source"]
    inlines = [PracticeLinkInline]
    resource_classes = [TrainingResource]
    fieldsets = [
        (
            None,
            {"fields": ("title", "slug", "domain", "format", "duration_days", "duration_label")},
        ),
        (_("Contenu"), {"fields": ("audience", "objectives", "themes")}),
        ContentAdmin.provenance_fieldset,
        ContentAdmin.status_fieldset,
    ]


# The practice admin lives in `practices`, which must not depend on `trainings`; the trainers'
# inline is added here, where both are known.
admin.site.unregister(Practice)


@admin.register(Practice)
class PracticeWithTrainingsAdmin(PracticeAdmin):
    inlines = [*PracticeAdmin.inlines, TrainingLinkInline]
