from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Orientation, Piste, Practice, Source, Status, Tag, Theme


class ContentAdmin(admin.ModelAdmin):
    """What every content record's admin shares: status actions, provenance, timestamps."""

    actions = ["publish", "unpublish"]
    list_select_related = ["source"]
    readonly_fields = ["created_at", "updated_at"]
    prepopulated_fields = {"slug": ("title",)}
    provenance_fieldset = (
        _("Provenance"),
        {"fields": ("source", "pages", "section", "editor_note")},
    )
    status_fieldset = (_("Publication"), {"fields": ("status", "created_at", "updated_at")})

    def _set_status(self, request, queryset, status, message):
        updated = queryset.exclude(status=status).update(status=status)
        self.message_user(request, ngettext(message[0], message[1], updated) % {"n": updated}, messages.SUCCESS)

    @admin.action(description=_("Publier la sélection"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(
            request, queryset, Status.PUBLISHED, ("%(n)d fiche publiée.", "%(n)d fiches publiées.")
        )

    @admin.action(description=_("Dépublier la sélection (repasser en brouillon)"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(
            request, queryset, Status.DRAFT, ("%(n)d fiche dépubliée.", "%(n)d fiches dépubliées.")
        )


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["short_title", "title", "kind", "date_label", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "short_title", "publisher", "authors"]
    prepopulated_fields = {"slug": ("short_title",)}
    readonly_fields = ["created_at", "updated_at"]
    actions = ["publish", "unpublish"]
    publish = ContentAdmin.publish
    unpublish = ContentAdmin.unpublish
    _set_status = ContentAdmin._set_status


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Practice)
class PracticeAdmin(ContentAdmin):
    list_display = ["title", "family", "source", "pages", "status", "updated_at"]
    list_filter = ["status", "family", "source", "themes"]
    search_fields = ["title", "summary", "slug"]
    autocomplete_fields = ["themes", "source"]
    fieldsets = [
        (None, {"fields": ("title", "slug", "family", "summary", "description")}),
        (_("Mise en œuvre"), {"fields": ("success_factors", "obstacles", "themes")}),
        ContentAdmin.provenance_fieldset,
        ContentAdmin.status_fieldset,
    ]


class PisteInline(admin.StackedInline):
    model = Piste
    extra = 0
    fields = ["number", "title", "slug", "status", "lever", "details", "printed_tags", "tags", "source", "pages", "section"]
    autocomplete_fields = ["tags", "source"]
    prepopulated_fields = {"slug": ("title",)}
    show_change_link = True


@admin.register(Orientation)
class OrientationAdmin(ContentAdmin):
    list_display = ["number", "title", "source", "pages", "status"]
    list_display_links = ["title"]
    list_filter = ["status", "source"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["source"]
    inlines = [PisteInline]
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
    fieldsets = [
        (None, {"fields": ("orientation", "number", "title", "slug", "lever", "details")}),
        (_("Liens"), {"fields": ("printed_tags", "tags", "practices", "themes")}),
        ContentAdmin.provenance_fieldset,
        ContentAdmin.status_fieldset,
    ]
