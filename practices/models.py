"""The reports, their vocabulary (themes, tags), the practices and the reports' proposals.

Every other app points here: cases → practices ← trainings.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import (
    Content,
    ContentQuerySet,
    SlugQuerySet,
    Status,
    VersionedModel,
    provenance_constraint,
    status_constraint,
)


class Source(VersionedModel):
    class Kind(models.TextChoices):
        STUDY = "etude", _("Étude")
        CAHIER = "cahier", _("Cahier")
        COLLECTION = "recueil", _("Recueil de projets collectifs")
        ACTION_RESEARCH = "enquete-action", _("Enquête-action")

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("titre"), max_length=300)
    short_title = models.CharField(_("titre court"), max_length=80)
    publisher = models.CharField(_("éditeur ou commanditaire"), max_length=300, blank=True)
    authors = models.TextField(_("auteurs"), blank=True)
    date_label = models.CharField(
        _("date"), max_length=60, blank=True, help_text=_("Telle qu'imprimée, ou « (déduit) »")
    )
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    editor_note = models.TextField(_("note de l'éditeur"), blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = HistoricalRecords()

    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-year", "title"]
        constraints = [
            status_constraint("source"),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1900, year__lte=2100),
                name="source_year_plausible",
            ),
        ]

    def __str__(self):
        return self.short_title

    def get_absolute_url(self):
        return reverse("practices:source_detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class Theme(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("nom"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    objects = SlugQuerySet.as_manager()

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Tag(models.Model):
    """A piste's hashtag (Réflexes Publics), normalised: « Commun » and « Communs » are one tag."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("nom"), max_length=60, unique=True)

    objects = SlugQuerySet.as_manager()

    class Meta:
        verbose_name = _("étiquette")
        verbose_name_plural = _("étiquettes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class PracticeQuerySet(ContentQuerySet):
    def in_family(self, family):
        return self.filter(family=family)

    def with_theme(self, theme):
        return self.filter(themes=theme)

    def for_list(self):
        return self.select_related("source").prefetch_related("themes")


class Practice(Content):
    class Family(models.TextChoices):
        PROXIMITY = "axe-proximite", _("Axe 1 — Proximité et expérience usager")
        COOPERATION = "axe-cooperation", _("Axe 2 — Coopération avec les habitants et acteurs")
        TRANSVERSALITY = "axe-transversalite", _("Axe 3 — Transversalité des organisations")
        STEERING = "fonction-pilotage", _("Fonction pilotage")
        INNOVATION = "fonction-innovation", _("Fonction innovation")
        MANAGEMENT = "fonction-management", _("Fonction management")
        RECEPTION = "fonction-accueil", _("Fonction accueil et relation à l'usager")
        SUPPORT = "fonction-support", _("Fonctions supports")
        OTHER = "autre", _("Autres pratiques")

    title = models.CharField(_("titre"), max_length=300)
    summary = models.TextField(_("résumé"), blank=True)
    description = models.TextField(_("description"), blank=True)
    family = models.CharField(_("famille"), max_length=30, choices=Family.choices)
    success_factors = models.TextField(_("facteurs de réussite"), blank=True)
    obstacles = models.TextField(_("freins"), blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="practices", verbose_name=_("thèmes")
    )
    history = HistoricalRecords(m2m_fields=[themes])

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pratique")
        verbose_name_plural = _("pratiques")
        ordering = ["title"]
        # Trainers may save a practice (to link trainings to it) without changing its content.
        permissions = [("change_practice_content", _("Peut modifier le contenu des pratiques"))]
        constraints = [status_constraint("practice"), provenance_constraint("practice")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("practices:detail", kwargs={"slug": self.slug})

    def search_fields(self):
        return [self.title, self.summary, self.description, self.success_factors, self.obstacles]


class OrientationQuerySet(ContentQuerySet):
    def for_list(self):
        return self.select_related("source").prefetch_related("pistes")


class Orientation(Content):
    """A report's group of proposals: an orientation, a préconisation, a group of recommendations."""

    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("titre"), max_length=300)
    summary = models.TextField(_("résumé"), blank=True)
    history = HistoricalRecords()

    objects = OrientationQuerySet.as_manager()

    class Meta:
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        ordering = ["source__title", "number"]
        constraints = [
            status_constraint("orientation"),
            provenance_constraint("orientation"),
            models.UniqueConstraint(
                fields=["source", "number"], name="orientation_number_per_source"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="orientation_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("practices:orientation_detail", kwargs={"slug": self.slug})

    def search_fields(self):
        return [self.title, self.summary]


class PisteQuerySet(ContentQuerySet):
    def in_orientation(self, orientation):
        return self.filter(orientation=orientation)

    def with_tag(self, tag):
        return self.filter(tags=tag)

    def for_list(self):
        return self.select_related("source", "orientation").prefetch_related("tags")


class Piste(Content):
    orientation = models.ForeignKey(
        Orientation, on_delete=models.CASCADE, related_name="pistes", verbose_name=_("orientation")
    )
    number = models.PositiveSmallIntegerField(_("numéro dans l'orientation"))
    title = models.CharField(_("titre"), max_length=400)
    lever = models.TextField(_("levier"), blank=True)
    details = models.TextField(_("détails"), blank=True)
    printed_tags = models.CharField(
        _("étiquettes imprimées"),
        max_length=200,
        blank=True,
        help_text=_("Telles que le rapport les écrit."),
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="pistes", verbose_name=_("étiquettes")
    )
    practices = models.ManyToManyField(
        Practice, blank=True, related_name="pistes", verbose_name=_("pratiques")
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="pistes", verbose_name=_("thèmes")
    )
    history = HistoricalRecords(m2m_fields=[tags, practices, themes])

    objects = PisteQuerySet.as_manager()

    class Meta:
        verbose_name = _("piste")
        verbose_name_plural = _("pistes")
        ordering = ["orientation__source__title", "orientation__number", "number"]
        constraints = [
            status_constraint("piste"),
            provenance_constraint("piste"),
            models.UniqueConstraint(
                fields=["orientation", "number"], name="piste_number_per_orientation"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="piste_number_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("practices:piste_detail", kwargs={"slug": self.slug})

    def search_fields(self):
        return [self.title, self.printed_tags, self.lever, self.details]
