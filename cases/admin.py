from django import forms
from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import FoldedSearchMixin
from core.versioning import VersionedLinkForm
from practices.admin import ContentAdmin, GuardedHistoryMixin

from . import resources
from .images import IllustrationField
from .models import CasePractice, CaseStudy, Contribution, Territory
from .services import casestudy_make_thumbnail, contribution_reply


@admin.register(Territory)
class TerritoryAdmin(FoldedSearchMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "departement", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "departement", "region", "code"]
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ["created_at", "updated_at"]


class CasePracticeForm(VersionedLinkForm):
    class Meta:
        model = CasePractice
        fields = ["practice", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2, "cols": 60})}
        help_texts = {
            "reason": _(
                "Publique : affichée sur la page du cas. Ce que le rapport dit du cas qui le "
                "relie à la pratique."
            )
        }


class PracticeLinkInline(admin.TabularInline):
    """A case's practices, each with the passage of the report the link rests on."""

    model = CasePractice
    # A link edited meanwhile from another page is never overwritten.
    form = CasePracticeForm
    extra = 1
    fields = ["practice", "reason", "loaded_values"]
    autocomplete_fields = ["practice"]
    verbose_name = _("pratique montrée")
    verbose_name_plural = _("pratiques montrées (au moins une pour publier)")


@admin.register(CaseStudy)
class CaseStudyAdmin(ContentAdmin):
    list_display = ["title", "kind", "territory", "period", "source", "pages", "status"]
    list_filter = ["status", "kind", "source", "territory__kind", "territory__region", "themes"]
    list_select_related = ["source", "territory"]
    search_fields = ["title", "summary", "territory__name", "commissioner"]
    autocomplete_fields = ["territory", "themes", "pistes", "findings", "source"]
    inlines = [PracticeLinkInline]
    resource_classes = [resources.CaseStudyResource]
    formfield_overrides = {models.ImageField: {"form_class": IllustrationField}}
    # What publishing needs comes first (title, territory, practices, source and page), then
    # the text, then what is filled less often.
    fieldsets = [
        (None, {"fields": ("title", "slug", "kind", "territory", "summary")}),
        (_("Provenance"), {"fields": ("source", "pages", "section")}),
        (
            _("Contenu"),
            {"fields": ("key_facts", "method", "actors", "results", "success_factors", "limits")},
        ),
        (_("Période"), {"fields": ("period", "year_start", "year_end")}),
        (_("Autres liens"), {"fields": ("themes", "pistes", "findings", "commissioner")}),
        (_("Illustration"), {"fields": ("illustration", "illustration_alt")}),
        (_("Note de l’éditeur"), {"fields": ("editor_note",)}),
        ContentAdmin.status_fieldset,
    ]
    help_texts = {
        "kind": _(
            "Comment le rapport présente le cas. Focus : un encadré court. Référence inspirante : "
            "une expérience citée en modèle. Cas étudié : analysé en détail par l’étude. Projet "
            "collectif INET : le travail d’un groupe d’élèves. Inspiration ou exemple : cité en "
            "passant, souvent à l’étranger."
        ),
        "territory": _(
            "Tapez quelques lettres du nom (les accents sont facultatifs) ; s’il n’existe pas, "
            "créez-le avec le « + »."
        ),
    }

    change_form_template = "admin/cases/casestudy/change_form.html"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        contribution = getattr(obj, "contribution", None) if obj is not None else None
        if contribution is not None and request.user.has_perm("cases.view_contribution"):
            context["contribution"] = contribution
        return super().render_change_form(request, context, add, change, form_url, obj)

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


class ReplyForm(forms.ModelForm):
    subject = forms.CharField(label=_("Objet"), max_length=150, required=False)
    message = forms.CharField(
        label=_("Votre réponse"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_(
            "Envoyée à l’adresse du contact, avec votre adresse en « Répondre à ». Elle est "
            "gardée ici, pour que les autres éditeurs sachent qu’on a répondu."
        ),
    )

    class Meta:
        model = Contribution
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.instance.case if self.instance.pk else None
        self.fields["subject"].initial = _t("Votre proposition sur Transfo : %(title)s") % {
            "title": case.title if case else self.instance.collectivity
        }


@admin.register(Contribution)
class ContributionAdmin(FoldedSearchMixin, admin.ModelAdmin):
    """Who proposed what from /proposer/, and the editors' answers by e-mail."""

    form = ReplyForm
    list_display = ["collectivity", "case_link", "contact_email", "submitted_at", "replied_at"]
    list_filter = ["replied_at"]
    search_fields = ["collectivity", "contact_email", "contact_name", "case__title"]
    list_select_related = ["case"]
    readonly_fields = [
        "case_link",
        "collectivity",
        "practice_text",
        "contact_name",
        "contact_email",
        "consent",
        "submitted_at",
        "reply",
        "replied_at",
        "replied_by",
    ]
    fieldsets = [
        (
            _("La proposition"),
            {
                "fields": (
                    "case_link",
                    "collectivity",
                    "practice_text",
                    "contact_name",
                    "contact_email",
                    "consent",
                    "submitted_at",
                )
            },
        ),
        (_("Répondre par e-mail"), {"fields": ("subject", "message")}),
        (_("Dernière réponse envoyée"), {"fields": ("reply", "replied_at", "replied_by")}),
    ]

    @admin.display(description=_("cas à relire"))
    def case_link(self, obj):
        if obj.case is None:
            return "—"
        url = reverse("admin:cases_casestudy_change", args=[obj.case.pk])
        return format_html('<a href="{}">{}</a>', url, obj.case)

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        message = form.cleaned_data.get("message", "").strip()
        if message:
            subject = form.cleaned_data.get("subject") or _t("Votre proposition sur Transfo")
            contribution_reply(obj, request.user, subject, message)
            self.message_user(
                request,
                _t("Réponse envoyée à %(email)s.") % {"email": obj.contact_email},
                messages.SUCCESS,
            )
