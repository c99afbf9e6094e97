"""What every content admin shares for editors' comfort: the workflow buttons, readable history,
accent-insensitive search and help texts. Generic over `core.models.Content`; imports no app."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .history import HISTORY_TYPES, person, readable_changes
from .models import Synonym
from .services import TransitionRefused, content_transition
from .text import fold, search_terms
from .workflow import TRANSITIONS, available_transitions, can_publish

HELP_TEXTS = {
    "slug": _(
        "La fin de l’adresse de la page (/cas/<slug>/), tirée du titre pendant que vous le tapez ; "
        "modifiable. Après publication, la changer casse les liens déjà partagés."
    ),
    "status": _(
        "Brouillon : visible des seuls éditeurs et formateurs. À relire : attend un éditeur. "
        "Publié : visible de tous. Se change avec les boutons en haut de la fiche."
    ),
    "editor_note": _(
        "Publique : affichée sur la page, sous le texte. Signale une ambiguïté ou une "
        "contradiction du rapport et le choix fait. Pour une remarque interne, utilisez le "
        "commentaire des boutons de publication, qui va dans l’historique."
    ),
}


class FoldedSearchMixin:
    """Admin search (and the autocompletes that use it) ignores accents and case, with the same
    folding as the public search: « ecole » finds « École ».

    Searchable records go through the search index (drafts included: the index holds every
    record); the small tables without one (themes, tags, links) are folded here, row by row."""

    # Above this many rows, a table with no search index keeps Django's plain search.
    FOLD_IN_PYTHON_UP_TO = 5000

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        terms = search_terms(search_term)
        if not terms:
            return found, may_have_duplicates
        if hasattr(self.model, "search_index"):
            folded = Q(pk__in=self.model._default_manager.search(search_term).values("pk"))
        else:
            fields = [name.lstrip("^=@") for name in self.get_search_fields(request)]
            if not fields or queryset.count() > self.FOLD_IN_PYTHON_UP_TO:
                return found, may_have_duplicates
            matching = [
                pk
                for pk, *texts in queryset.values_list("pk", *fields)
                if all(term in fold(" ".join(str(t) for t in texts if t)) for term in terms)
            ]
            folded = Q(pk__in=matching)
        return queryset.filter(folded | Q(pk__in=found.values("pk"))), False


class WorkflowAdminMixin(FoldedSearchMixin):
    """The status as a badge and buttons (submit, publish, unpublish, send back), with a comment
    that goes into the history; the completeness checks before publishing; readable history."""

    change_form_template = "admin/content/change_form.html"
    object_history_template = "admin/content/object_history.html"
    help_texts = {}
    actions = ["publish", "unpublish"]

    # --- who may do what -------------------------------------------------------------------

    def can_edit_content(self, request, obj=None):
        return True

    def has_publish_permission(self, request):
        return can_publish(request.user) and self.has_change_permission(request)

    def transitions_for(self, request, obj):
        allowed = self.has_change_permission(request, obj) and self.can_edit_content(request, obj)
        return available_transitions(obj, request.user, can_change=allowed)

    # --- forms -------------------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        help_texts = {**HELP_TEXTS, **self.help_texts, **kwargs.pop("help_texts", {})}
        form = super().get_form(request, obj, change=change, **kwargs)
        for name, text in help_texts.items():
            if name in form.base_fields:
                form.base_fields[name].help_text = text
        return self._with_historical_links(form, request)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Remembered for get_form: the version's links are shown, not today's.
        request.restoring_version = version_id
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _with_historical_links(self, form, request):
        """The restore form of simple-history fills links (M2M) from the record as it is now;
        « Rétablir cette version » must restore the version's links too."""
        version_id = getattr(request, "restoring_version", None)
        if version_id is None:
            return form
        record = self.model.history.filter(history_id=version_id).first()
        if record is None:
            return form
        links = {}
        for field in self.model._meta.many_to_many:
            rows = getattr(record, field.name, None)
            if field.name in form.base_fields and rows is not None and hasattr(rows, "all"):
                column = f"{field.m2m_reverse_field_name()}_id"
                links[field.name] = [getattr(row, column) for row in rows.all()]

        class RestoringForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.initial.update(links)

        return RestoringForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        version_id = getattr(request, "restoring_version", None)
        if version_id is not None:
            self._restore_link_models(obj, version_id)

    def _restore_link_models(self, obj, version_id):
        """Links kept in a model of their own (a case's practices, with their reason) are edited
        in an inline, not in the form: restoring a version puts back the version's links."""
        record = self.model.history.filter(history_id=version_id).first()
        for field in self.model._meta.many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created or record is None or not hasattr(record, field.name):
                continue
            own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
            extra = [
                f.attname
                for f in through._meta.concrete_fields
                if not f.primary_key and not f.is_relation
            ]
            through.objects.filter(**{own: obj}).delete()
            for row in getattr(record, field.name).all():
                through.objects.create(
                    **{own: obj, f"{other}_id": getattr(row, f"{other}_id")},
                    **{name: getattr(row, name) for name in extra},
                )

    def get_readonly_fields(self, request, obj=None):
        # The status changes only through the workflow buttons, which check rights and content.
        fields = list(super().get_readonly_fields(request, obj))
        return fields if "status" in fields else [*fields, "status"]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            {
                "workflow_transitions": self.transitions_for(request, obj) if obj else [],
                "publication_problems": obj.publication_problems() if obj else [],
                "can_publish": can_publish(request.user),
                "status_display": obj.get_status_display() if obj else _t("Brouillon"),
                "status_code": obj.status if obj else "draft",
                "help_status": HELP_TEXTS["status"],
            }
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_publish" in request.POST:
            return self._publish_after_save(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_publish" in request.POST:
            return self._publish_after_save(request, obj)
        return super().response_change(request, obj)

    def _publish_after_save(self, request, obj):
        """« Enregistrer et publier »: saved in any case; published only if complete."""
        self._run_transition(request, obj, "publish", "")
        return HttpResponseRedirect(self._change_url(obj))

    # --- the buttons -------------------------------------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        info = opts.app_label, opts.model_name
        return [
            path(
                "<path:object_id>/statut/",
                self.admin_site.admin_view(self.transition_view),
                name=f"{info[0]}_{info[1]}_transition",
            ),
            path(
                "<path:object_id>/history/comparer/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{info[0]}_{info[1]}_compare",
            ),
            *super().get_urls(),
        ]

    def _change_url(self, obj):
        opts = obj._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
        )

    def _run_transition(self, request, obj, name, comment):
        try:
            transition = content_transition(obj, name, request.user, comment)
        except TransitionRefused as refused:
            intro = (
                _t("Pour publier, il reste à corriger :")
                if name == "publish"
                else _t("Action impossible :")
            )
            self.message_user(request, f"{intro} " + " ".join(refused.problems), messages.ERROR)
            return None
        self.message_user(request, str(transition.done), messages.SUCCESS)
        return transition

    def transition_view(self, request, object_id):
        return require_POST(self._transition_view)(request, object_id)

    def _transition_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not (self.has_change_permission(request, obj) and self.can_edit_content(request, obj)):
            raise PermissionDenied
        name = request.POST.get("transition", "")
        form = TransitionForm(request.POST)
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        self._run_transition(request, obj, name, comment)
        return HttpResponseRedirect(self._change_url(obj))

    # --- bulk actions, through the same service ---------------------------------------------

    def _bulk(self, request, queryset, name, singular, plural):
        done, refused = 0, []
        for record in queryset:
            if record.status not in TRANSITIONS[name].sources:
                continue
            try:
                content_transition(record, name, request.user, _t("Action groupée"))
            except TransitionRefused as error:
                refused.append(f"« {record} » : {' '.join(error.problems)}")
            else:
                done += 1
        self.message_user(request, ngettext(singular, plural, done) % {"n": done}, messages.SUCCESS)
        if refused:
            self.message_user(
                request, _t("Non publiées : ") + " ; ".join(refused[:10]), messages.WARNING
            )

    @admin.action(description=_("Publier la sélection"), permissions=["publish"])
    def publish(self, request, queryset):
        self._bulk(request, queryset, "publish", "%(n)d fiche publiée.", "%(n)d fiches publiées.")

    @admin.action(
        description=_("Dépublier la sélection (repasser en brouillon)"), permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        self._bulk(
            request, queryset, "unpublish", "%(n)d fiche dépubliée.", "%(n)d fiches dépubliées."
        )

    # --- readable history --------------------------------------------------------------------

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)
        for newer, older in zip(records, records[1:] + [None], strict=True):
            newer.readable_changes = (
                readable_changes(self.model, newer, older) if older is not None else []
            )
            newer.type_label = HISTORY_TYPES.get(newer.history_type, newer.history_type)
            newer.person = person(newer.history_user)
            newer.status_label = dict(self.model._meta.get_field("status").flatchoices).get(
                newer.status, newer.status
            )

    def compare_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        history = obj.history.select_related("history_user")
        try:
            ids = sorted([int(request.GET["a"]), int(request.GET["b"])])
        except (KeyError, ValueError):
            self.message_user(request, _t("Choisissez deux versions à comparer."), messages.WARNING)
            return HttpResponseRedirect(
                reverse(
                    f"{self.admin_site.name}:{obj._meta.app_label}_{obj._meta.model_name}_history",
                    args=[obj.pk],
                )
            )
        older = get_object_or_404(history, history_id=ids[0])
        newer = get_object_or_404(history, history_id=ids[1])
        for record in (older, newer):
            record.person = person(record.history_user)
        context = {
            **self.admin_site.each_context(request),
            "title": _t("Comparer deux versions : %(record)s") % {"record": obj},
            "opts": self.model._meta,
            "object": obj,
            "older": older,
            "newer": newer,
            "changes": readable_changes(self.model, newer, older),
            "revert_disabled": self.revert_disabled(request, obj),
        }
        return TemplateResponse(request, "admin/content/history_compare.html", context)


class TransitionForm(forms.Form):
    # simple-history keeps a change reason of 100 characters.
    comment = forms.CharField(max_length=100, required=False)


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note", "updated_at"]
    search_fields = ["terms", "note"]
    fieldsets = [
        (
            None,
            {
                "fields": ["terms", "note"],
                "description": _(
                    "Une recherche sur l'une des expressions trouve aussi les fiches qui "
                    "contiennent les autres, dans les deux sens et sur tout le site."
                ),
            },
        )
    ]
