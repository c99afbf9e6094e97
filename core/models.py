"""What every content app shares: publication status, provenance, versions, and the seed's memory.

Nothing here imports an app: the apps import this.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import search
from core.text import fold


class Status(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    REVIEW = "review", _("À relire")
    PUBLISHED = "published", _("Publié")


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class ContentQuerySet(SlugQuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

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

    def search(self, query):
        """Records holding every word of the query, accents and case ignored ("ecole" finds "École")."""
        return search.search(self, query)

    def by_relevance(self, query):
        return search.by_relevance(self, query)


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
        _("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
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
    search_text = models.TextField(editable=False, default="")
    # Incremented at each save: the admin refuses a save made from an outdated version.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join(filter(None, self.search_fields())))
        if self.pk is not None:
            self.version += 1
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)

    def search_fields(self):
        """The texts that search looks into, most important first."""
        return []

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
    """A counter bumped by every change to published content (see core.cache).

    The page cache keys pages on it, so that a change shows at once to every visitor, whichever
    server process answers them."""

    number = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = _("version du contenu")
        # The right to publish is one for every content model; it needs a model to hang on, and
        # this one belongs to no app's content.
        permissions = [("publish_content", _("Peut publier, dépublier et renvoyer en brouillon"))]

    def __str__(self):
        return str(self.number)
