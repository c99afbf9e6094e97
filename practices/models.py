"""The reports, their vocabulary (themes, tags), the practices and the reports' proposals.

Every other app points here: cases → practices ← trainings.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from transfo import search
from transfo.text import fold


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

    def natural_key(self):
        return (self.slug,)

    def search_fields(self):
        """The texts that search looks into, most important first."""
        return []

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join(filter(None, self.search_fields())))
        if self.pk is not None:
            self.version += 1
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def provenance(self):
        """« CNFPT 2022, p. 11 » — or the section when the report prints no page."""
        where = _("p. %(pages)s") % {"pages": self.pages} if self.pages else self.section
        return f"{self.source.short_title}, {where}"


class Source(models.Model):
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

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self.version += 1
        super().save(*args, **kwargs)


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
            models.UniqueConstraint(fields=["model", "key"], name="seeded_record_unique")
        ]

    def __str__(self):
        return f"{self.model} {self.key}"


class ContentVersion(models.Model):
    """A counter bumped by every change to published content (see transfo.cache).

    The page cache keys pages on it, so that a change shows at once to every visitor, whichever
    server process answers them."""

    number = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = _("version du contenu")

    def __str__(self):
        return str(self.number)
