from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import FoldedSearchMixin
from core.versioning import VersionedLinkForm
from practices.admin import ContentAdmin, PracticeAdmin
from practices.models import Practice

from .models import Training, TrainingPractice
from .resources import TrainingResource

REASON_HELP = _(
    "Publique : affichée sur la page de la formation et sur celle de la pratique. Dites en une "
    "phrase ce que la formation enseigne de la pratique (module, objectif, encadré)."
)


class LinkForm(VersionedLinkForm):
    class Meta:
        model = TrainingPractice
        fields = ["training", "practice", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3, "cols": 60})}
        help_texts = {"reason": REASON_HELP}


class PracticeLinkInline(admin.TabularInline):
    """A training's practices, from the training's page."""

    model = TrainingPractice
    # A link edited from the other side meanwhile is never overwritten.
    form = LinkForm
    extra = 1
    fields = ["practice", "reason", "loaded_values"]
    autocomplete_fields = ["practice"]
    verbose_name = _("pratique enseignée")
    verbose_name_plural = _("pratiques enseignées")


class TrainingLinkInline(admin.TabularInline):
    """A practice's trainings, from the practice's page."""

    model = TrainingPractice
    form = LinkForm
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
    autocomplete_fields = ["themes", "findings", "source"]
    inlines = [PracticeLinkInline]
    resource_classes = [TrainingResource]
    fieldsets = [
        (
            None,
            {"fields": ("title", "slug", "domain", "format", "duration_days", "duration_label")},
        ),
        (_("Contenu"), {"fields": ("audience", "objectives", "themes", "findings")}),
        ContentAdmin.provenance_fieldset,
        ContentAdmin.status_fieldset,
    ]


# The practice admin lives in `practices`, which must not depend on `trainings`; the trainers'
# inline is added here, where both are known.
admin.site.unregister(Practice)


class WithoutTrainingFilter(admin.SimpleListFilter):
    """The trainers' gaps, in the practice list: combine it with the search box and the others."""

    title = _("formation")
    parameter_name = "formation"

    def lookups(self, request, model_admin):
        return [("sans", _("Sans formation")), ("avec", _("Avec au moins une formation"))]

    def queryset(self, request, queryset):
        gaps = queryset.without_published_training()
        if self.value() == "sans":
            return gaps
        if self.value() == "avec":
            return queryset.exclude(pk__in=gaps.values("pk"))
        return queryset


@admin.register(Practice)
class PracticeWithTrainingsAdmin(PracticeAdmin):
    inlines = [*PracticeAdmin.inlines, TrainingLinkInline]
    list_filter = [WithoutTrainingFilter, *PracticeAdmin.list_filter]


@admin.register(TrainingPractice)
class TrainingPracticeAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    """One link at a time: where the « Lier une formation » links of the admin home lead, with
    the practice already chosen (`?practice=<id>`)."""

    form = LinkForm
    list_display = ["training", "practice", "reason"]
    list_select_related = ["training", "practice"]
    search_fields = ["training__title", "practice__title", "reason"]
    autocomplete_fields = ["training", "practice"]

    def response_add(self, request, obj, post_url_continue=None):
        if "_continue" in request.POST or "_addanother" in request.POST or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(
            request,
            _t("La formation « %(training)s » est liée à la pratique « %(practice)s ».")
            % {"training": obj.training, "practice": obj.practice},
            messages.SUCCESS,
        )
        # Back to the admin home, where the list of practices without training now lacks this one.
        return HttpResponseRedirect(reverse("admin:index"))
