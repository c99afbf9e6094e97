"""What every content app shares: publication status, provenance, versions, and the seed's memory.

Nothing here imports an app: the apps import this.
"""

import functools
import re

from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.db import models, router, transaction
from django.db.models import Q
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from core import search


def detail_url(view_name, slug):
    """A record page's address. Lists, cards and the API give hundreds per response, and
    `reverse` costs more than the rest of a card: each address is worked out once."""
    return cached_url(view_name, slug, get_urlconf(), get_script_prefix())


@functools.lru_cache(maxsize=100_000)
def cached_url(view_name, slug, urlconf, prefix):
    """`reverse` of a record's page (`slug`) or of a page without argument (None), once per
    address prefix: the caller that gives many asks for the urlconf and prefix once."""
    kwargs = None if slug is None else {"slug": slug}
    return reverse(view_name, kwargs=kwargs, urlconf=urlconf)


@receiver(setting_changed)
def forget_addresses(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        cached_url.cache_clear()


# The longest text of the five reports is under 2,000 characters; 20,000 leaves room for any
# real text and refuses a pasted book or a 5 MB payload (form, import and seed alike).
TEXT_MAX_LENGTH = 20_000


def check_text_lengths(instance, exclude=None):
    errors = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.TextField) or not field.editable:
            continue
        if exclude and field.name in exclude:
            continue
        value = getattr(instance, field.attname) or ""
        if len(value) > TEXT_MAX_LENGTH:
            errors[field.name] = ValidationError(
                _(
                    "Ce texte fait %(length)s caractères ; le maximum est de %(limit)s. "
                    "Raccourcissez-le, ou mettez le détail dans le rapport d'origine."
                )
                % {
                    "length": number_format(len(value), force_grouping=True),
                    "limit": number_format(TEXT_MAX_LENGTH, force_grouping=True),
                },
                code="max_length",
            )
    if errors:
        raise ValidationError(errors)


# What each constraint of the content models means, for the person who broke it: the field to
# show it beside and what to do. Keyed by the constraint's name, or its suffix after the model.
CONSTRAINT_MESSAGES = {
    "status_valid": ("status", _("Choisissez un statut de la liste.")),
    "has_provenance": (
        "pages",
        _(
            "Indiquez les pages du rapport d'où vient la fiche ou, s'il n'en imprime pas, "
            "la section."
        ),
    ),
    "year_plausible": ("year", _("Indiquez une année entre 1900 et 2100.")),
    "year_start_plausible": ("year_start", _("Indiquez une année de début entre 1900 et 2100.")),
    "illustration_has_alt": (
        "illustration_alt",
        _("Décrivez l'illustration : le texte alternatif est obligatoire."),
    ),
    "period_ordered": (
        "year_end",
        _(
            "L'année de fin doit suivre l'année de début (ou lui être égale), et l'année de "
            "début doit être indiquée."
        ),
    ),
    "number_positive": ("number", _("Le numéro commence à 1.")),
    "number_per_source": (
        "number",
        _("Cette source a déjà une orientation de ce numéro : choisissez-en un autre."),
    ),
    "number_per_orientation": (
        "number",
        _("Cette orientation a déjà une piste de ce numéro : choisissez-en un autre."),
    ),
    "duration_not_negative": ("duration_days", _("La durée ne peut pas être négative.")),
}


def explain_constraint(name):
    for suffix, explained in CONSTRAINT_MESSAGES.items():
        if name == suffix or name.endswith(f"_{suffix}"):
            return explained
    return None


class VersionConflict(Exception):
    """A save was made from a version of the record that is no longer the latest one."""


class VersionedModel(models.Model):
    """Every save of an existing row is one `UPDATE … WHERE version = <the version it was loaded
    with>`: when two people save from the same version, exactly one update matches, and the other
    gets `VersionConflict` instead of silently overwriting the first. The version only increases.

    The concrete model declares the `version` field."""

    # Fields written without a new version (a direct update: a derived file, not an edit) that
    # a card or the API's JSON shows. They are part of each record's stamp beside its version
    # (core.cache.stamp_fields), which keeps those parts: the version alone would not change.
    unversioned_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and hasattr(self, "_history"):
            # A copy rebuilt from the history (a revert) carries its old version number; it is
            # saved as the next version of the record, never as an older one.
            current = type(self)._base_manager.filter(pk=self.pk).values_list("version", flat=True)
            if current:
                self._state.adding = False
                self.version = current[0]
        if not self._state.adding and self.pk is not None:
            self._expected_version = self.version
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "version" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "version"]
        try:
            super().save(*args, **kwargs)
        except BaseException:
            if getattr(self, "_expected_version", None) is not None:
                self.version = self._expected_version
            raise
        finally:
            self._expected_version = None

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        expected = getattr(self, "_expected_version", None)
        if expected is None:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        updated = super()._do_update(
            base_qs.filter(version=expected), using, pk_val, values, update_fields, True
        )
        if not updated and base_qs.filter(pk=pk_val).exists():
            raise VersionConflict(
                f"{self._meta.label} {pk_val}: enregistré depuis la version {expected}."
            )
        return updated

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            check_text_lengths(self, exclude)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        """The database's constraints, checked before saving, with a French message that says
        what to do beside the field concerned (Django would show the constraint's name)."""
        using = router.db_for_write(type(self), instance=self)
        errors = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    explained = explain_constraint(constraint.name)
                    if explained is not None:
                        field, message = explained
                        refused = ValidationError({field: message}, code="constraint")
                    elif getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                        refused = ValidationError({constraint.fields[0]: error})
                    else:
                        refused = error
                    errors = refused.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class Status(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    REVIEW = "review", _("À relire")
    PUBLISHED = "published", _("Publié")


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


def related_visible(model, name):
    """The visible records at the other end of the relation `name`, even when another app declares
    it: a page shows what points at it without its app importing the app that points."""
    return model._meta.get_field(name).related_model.objects.visible()


class SearchableQuerySet(models.QuerySet):
    """Search for querysets whose model has a `search_index = SearchRelation()` (core.search)."""

    def search(self, query):
        """Records holding every word of the query as visitors type it (see core.search)."""
        return search.search(self, query)

    def by_relevance(self, query):
        return search.by_relevance(self, query)


class ContentQuerySet(SearchableQuerySet, SlugQuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visibility(self, prefix=""):
        """What makes a record visible to the public: published, and so is every record it is
        reached through. `prefix` applies the rule across a relation ("cases__")."""
        return Q(
            **{f"{prefix}status": Status.PUBLISHED, f"{prefix}source__status": Status.PUBLISHED}
        )

    def visible(self):
        return self.filter(self.visibility())

    def set_status(self, status):
        """Change the status of many records at once, as a save would (new version, history).

        The rows are locked while they change, so that an editor's save at the same instant
        waits for this one instead of conflicting with it."""
        changed = 0
        with transaction.atomic():
            # A fresh queryset: the admin's may be DISTINCT (a search across links), which
            # PostgreSQL refuses to lock.
            pks = list(self.exclude(status=status).values_list("pk", flat=True))
            locked = self.model._default_manager.filter(pk__in=pks).order_by("pk")
            for record in locked.select_for_update(of=("self",)):
                record.status = status
                record.save()
                changed += 1
        return changed

    def from_source(self, source):
        return self.filter(source=source)

    def for_cards(self):
        """Records shown as cards on another record's page: `for_list()` without what it reads
        across relations, which is read only for the cards not kept in the cache
        (core.cache.content_fragments)."""
        return self.for_list().prefetch_related(None)


def status_constraint(model_name):
    return models.CheckConstraint(
        condition=Q(status__in=Status.values), name=f"{model_name}_status_valid"
    )


def provenance_constraint(model_name):
    return models.CheckConstraint(
        condition=~Q(pages="") | ~Q(section=""), name=f"{model_name}_has_provenance"
    )


class Content(VersionedModel):
    """What every published record has: a slug, a status, timestamps and its provenance."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    source = models.ForeignKey(
        "practices.Source",
        on_delete=models.PROTECT,
        verbose_name=_("source"),
        help_text=_("Le rapport dont la fiche est tirée."),
    )
    pages = models.CharField(
        _("pages"),
        max_length=40,
        blank=True,
        help_text=_("Les pages imprimées dans le rapport, par ex. « 11 » ou « 11-12 »."),
    )
    section = models.CharField(
        _("section"),
        max_length=500,
        blank=True,
        help_text=_("La partie du rapport, surtout quand il n'imprime pas de numéro de page."),
    )
    editor_note = models.TextField(
        _("note de l'éditeur"),
        blank=True,
        help_text=_("Ambiguïtés ou contradictions du rapport, et le choix fait."),
    )
    # Incremented at each save, conditionally on the loaded version (see VersionedModel).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    search_index = search.SearchRelation()

    class Meta:
        abstract = True

    def natural_key(self):
        return (self.slug,)

    def search_document(self):
        """The texts search looks into, by weight: title > summary > body > notes."""
        return {"title": str(self), "notes": self.editor_note}

    def publication_problems(self):
        """What must be fixed before the record can be published, as sentences to show the editor.

        Subclasses add their own checks to these (see CaseStudy)."""
        problems = []
        if self.source_id is None:
            problems.append(_("Indiquez la source : le rapport dont la fiche est tirée."))
        else:
            source = self.source
            if source.status != Status.PUBLISHED:
                problems.append(
                    _("Sa source « %(source)s » n’est pas publiée : publiez-la d’abord.")
                    % {"source": source}
                )
        if not (self.pages or "").strip() and not (self.section or "").strip():
            problems.append(_("Indiquez la page ou la section du rapport."))
        return problems

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def provenance(self):
        """« CNFPT 2022, p. 11 » — or the section when the report prints no page."""
        where = _("p. %(pages)s") % {"pages": self.pages} if self.pages else self.section
        return f"{self.source.short_title}, {where}"


class SeededRecord(models.Model):
    """What `seed` last wrote for a record, so that a later run never overwrites an editor's work."""

    model = models.CharField(max_length=60)
    key = models.CharField(max_length=250)
    data = models.JSONField()
    seeded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("trace de chargement")
        verbose_name_plural = _("traces de chargement")
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="core_seededrecord_unique")
        ]

    def __str__(self):
        return f"{self.model} {self.key}"


class ContentVersion(models.Model):
    """A counter per content model, bumped by every change to its records (see core.cache).

    The page cache keys a page on the versions of the models it shows, so that a change shows at
    once to every visitor, whichever server process answers them, and leaves the other pages
    cached."""

    model = models.CharField(max_length=100, unique=True)
    number = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = _("version du contenu")
        verbose_name_plural = _("versions du contenu")
        # The right to publish is one for every content model; it needs a model to hang on, and
        # this one belongs to no app's content.
        permissions = [("publish_content", _("Peut publier, dépublier et renvoyer en brouillon"))]

    def __str__(self):
        return f"{self.model} {self.number}"


class SearchEntry(models.Model):
    """The normalised text of one searchable record, by weight (written by core.search only).

    SQLite indexes it in the FTS5 table `core_searchindex` (kept in step by triggers),
    PostgreSQL in the stored, weighted `vector` column; both are read through `SearchIndex`."""

    kind = models.CharField(max_length=60)
    object_id = models.PositiveIntegerField()
    title = models.TextField(default="", blank=True)
    summary = models.TextField(default="", blank=True)
    body = models.TextField(default="", blank=True)
    notes = models.TextField(default="", blank=True)

    class Meta:
        verbose_name = _("entrée de l'index de recherche")
        verbose_name_plural = _("entrées de l'index de recherche")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="core_searchentry_unique")
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class SearchIndex(models.Model):
    """The full-text index of an entry, as the ORM joins it (never written through the ORM).

    SQLite: the FTS5 virtual table itself, whose hidden column named after the table is what
    MATCH reads; joined on its rowid, so that no indexed text is read back. PostgreSQL: a view
    over `SearchEntry` whose column of that name is the weighted vector."""

    entry = models.OneToOneField(
        SearchEntry,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="index",
    )
    document = search.DocumentField(db_column="core_searchindex")

    class Meta:
        managed = False
        db_table = "core_searchindex"

    def __str__(self):
        return str(self.entry_id)


class SearchTerm(models.Model):
    """A word of the index's vocabulary, for typo tolerance and « Vouliez-vous dire … ? ».

    Only ever added to while records are saved (a word that no longer appears anywhere finds
    nothing, and a suggestion is offered only when it finds something); `rebuild_search_index`
    starts it afresh."""

    word = models.CharField(max_length=100, unique=True)
    # Serves the "is this word in the index?" lookup of every search.
    stem = models.CharField(max_length=100, db_index=True)

    class Meta:
        verbose_name = _("mot de l'index")
        verbose_name_plural = _("mots de l'index")

    def __str__(self):
        return self.word


class Synonym(models.Model):
    """Words or expressions that mean the same to visitors: a search for one finds the others."""

    terms = models.TextField(
        _("expressions équivalentes"),
        help_text=_(
            "Séparées par des virgules ou une par ligne, par ex. « benchmark, parangonnage » ou "
            "« RH, ressources humaines ». Accents et majuscules sont ignorés."
        ),
    )
    note = models.CharField(_("remarque"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("synonyme")
        verbose_name_plural = _("synonymes")
        ordering = ["terms"]

    def __str__(self):
        return " ↔ ".join(self.expressions())

    def clean(self):
        from django.core.exceptions import ValidationError

        if len(self.expressions()) < 2:
            raise ValidationError(
                {"terms": _("Indiquez au moins deux expressions, séparées par une virgule.")}
            )

    def expressions(self):
        return [part.strip() for part in re.split(r"[,;\n]", self.terms or "") if part.strip()]
