"""What every content app shares: publication status, provenance, versions, and the seed's memory.

Nothing here imports an app: the apps import this.
"""

import re

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import search


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
        """Change the status of many records at once, as a save would (new version, history)."""
        changed = 0
        for record in self.exclude(status=status):
            record.status = status
            record.save()
            changed += 1
        return changed

    def from_source(self, source):
        return self.filter(source=source)


def status_constraint(model_name):
    return models.CheckConstraint(
        condition=Q(status__in=Status.values), name=f"{model_name}_status_valid"
    )


def provenance_constraint(model_name):
    return models.CheckConstraint(
        condition=~Q(pages="") | ~Q(section=""), name=f"{model_name}_has_provenance"
    )


class Content(models.Model):
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
    # Incremented at each save: the admin refuses a save made from an outdated version.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    search_index = search.SearchRelation()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self.version += 1
        super().save(*args, **kwargs)

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
