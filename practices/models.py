"""The reports, their vocabulary (themes, tags), the practices and the reports' proposals.

Every other app points here: cases → practices ← trainings.
"""

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import (
    Content,
    ContentQuerySet,
    SlugQuerySet,
    Status,
    VersionedModel,
    detail_url,
    provenance_constraint,
    related_visible,
    status_constraint,
)
from core.search import SearchRelation

# The cases a practice's page and API answer give with it.
CASES_SHOWN = 12


class SourceQuerySet(ContentQuerySet):
    def visibility(self, prefix=""):
        return Q(**{f"{prefix}status": Status.PUBLISHED})

    def for_detail(self):
        # The source page counts and lists what comes from it (see SourceDetailView).
        return self


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
    search_index = SearchRelation()
    history = HistoricalRecords()

    objects = SourceQuerySet.as_manager()

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
        return detail_url("practices:source_detail", self.slug)

    def publication_problems(self):
        return []

    def natural_key(self):
        return (self.slug,)

    def search_document(self):
        return {
            "title": [self.title, self.short_title],
            "summary": [self.authors, self.publisher, self.date_label],
            "body": [self.description, self.get_kind_display()],
            "notes": [_("rapport source"), self.editor_note],
        }


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

    def without_published_training(self):
        """The gaps: practices that no visible training teaches."""
        taught = related_visible(self.model, "trainings").filter(practices__isnull=False)
        return self.exclude(pk__in=taught.values("practices"))

    def for_list(self):
        return self.select_related("source").prefetch_related("themes")

    def link_counts(self):
        """{practice pk: (visible cases, visible trainings)}: what each card says (« 6 cas ·
        1 formation »), for every practice in one grouped query per relation."""
        counts = {}
        for index, relation in enumerate(("cases", "trainings")):
            reverse = self.model._meta.get_field(relation).remote_field.name
            rows = (
                related_visible(self.model, relation)
                .filter(**{f"{reverse}__isnull": False})
                .order_by()
                .values_list(reverse)
                .annotate(n=Count("pk"))
            )
            for pk, n in rows:
                counts.setdefault(pk, [0, 0])[index] = n
        return counts

    def visible_count(self, relation):
        """The number of visible records that `relation` links to the outer practice."""
        reverse = self.model._meta.get_field(relation).remote_field.name
        rows = (
            related_visible(self.model, relation)
            .filter(**{reverse: OuterRef("pk")})
            .order_by()
            .values(reverse)
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    def for_detail(self):
        """A practice with everything its page and the API show: its first cases by title (a
        practice can gather thousands; the page and the API count them all and link to the
        list of cases filtered by the practice)."""
        cases = related_visible(self.model, "cases")
        shown = cases.for_cards().order_by("title", "pk")[:CASES_SHOWN]
        return (
            self.select_related("source")
            # A subquery, not a grouped count: the API searches this queryset, and SQLite's bm25
            # cannot be computed in a grouped query.
            .annotate(case_count=self.visible_count("cases"))
            .prefetch_related(
                "themes",
                Prefetch(
                    "cases",
                    queryset=shown,
                    to_attr="published_cases",
                ),
                Prefetch(
                    "trainings",
                    queryset=related_visible(self.model, "trainings").for_list().order_by("title"),
                    to_attr="published_trainings",
                ),
                Prefetch(
                    "pistes",
                    queryset=Piste.objects.visible()
                    .select_related("orientation")
                    .order_by("title"),
                    to_attr="published_pistes",
                ),
                Prefetch(
                    "findings",
                    queryset=Finding.objects.visible().order_by("kind", "code", "title"),
                    to_attr="published_findings",
                ),
            )
        )


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
        indexes = [models.Index(fields=["title", "id"], name="practice_title_order")]
        # Trainers may save a practice (to link trainings to it) without changing its content.
        permissions = [("change_practice_content", _("Peut modifier le contenu des pratiques"))]
        constraints = [status_constraint("practice"), provenance_constraint("practice")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return detail_url("practices:detail", self.slug)

    search_follow = ("themes",)

    def search_document(self):
        return {
            "title": self.title,
            "summary": self.summary,
            "body": [
                self.description,
                self.success_factors,
                self.obstacles,
                self.get_family_display(),
                *(theme.name for theme in self.themes.all()),
            ],
            "notes": [_("pratique"), self.editor_note],
        }


class OrientationQuerySet(ContentQuerySet):
    def for_list(self):
        return self.select_related("source").prefetch_related(
            Prefetch(
                "pistes",
                queryset=Piste.objects.visible().order_by("number"),
                to_attr="published_pistes",
            )
        )

    def for_detail(self):
        return self.select_related("source").prefetch_related(
            Prefetch(
                "pistes",
                queryset=Piste.objects.visible().prefetch_related("tags").order_by("number"),
                to_attr="published_pistes",
            )
        )


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
        return detail_url("practices:orientation_detail", self.slug)

    def search_document(self):
        return {
            "title": self.title,
            "summary": self.summary,
            "notes": [_("orientation"), str(self.number), self.editor_note],
        }


class PisteQuerySet(ContentQuerySet):
    def in_orientation(self, orientation):
        return self.filter(orientation=orientation)

    def with_tag(self, tag):
        return self.filter(tags=tag)

    def visibility(self, prefix=""):
        # A piste is reached through its orientation: a draft orientation hides its pistes.
        return super().visibility(prefix) & Orientation.objects.visibility(f"{prefix}orientation__")

    def for_list(self):
        return self.select_related("source", "orientation").prefetch_related("tags")

    def for_detail(self):
        return self.for_list().prefetch_related(
            "themes",
            Prefetch(
                "practices",
                queryset=Practice.objects.visible().order_by("title"),
                to_attr="published_practices",
            ),
            Prefetch(
                "inspirations",
                queryset=related_visible(self.model, "inspirations").for_cards().order_by("title"),
                to_attr="published_inspirations",
            ),
            Prefetch(
                "findings",
                queryset=Finding.objects.visible().order_by("kind", "code", "title"),
                to_attr="published_findings",
            ),
        )


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
        return detail_url("practices:piste_detail", self.slug)

    search_follow = ("orientation", "tags")

    def search_document(self):
        return {
            "title": self.title,
            "summary": [self.lever, self.printed_tags],
            "body": [
                self.details,
                self.orientation.title if self.orientation.is_published else "",
                *(tag.name for tag in self.tags.all()),
            ],
            "notes": [_("piste"), self.editor_note],
        }

    def publication_problems(self):
        problems = super().publication_problems()
        if self.orientation.status != Status.PUBLISHED:
            problems.append(
                _("Son orientation « %(orientation)s » n’est pas publiée : publiez-la d’abord.")
                % {"orientation": self.orientation}
            )
        return problems


class FindingQuerySet(ContentQuerySet):
    def of_kind(self, kind):
        return self.filter(kind=kind)

    def for_list(self):
        return self.select_related("source")

    def for_detail(self):
        return self.for_list().prefetch_related(
            "themes",
            Prefetch(
                "practices",
                queryset=Practice.objects.visible().order_by("title"),
                to_attr="published_practices",
            ),
            Prefetch(
                "pistes",
                queryset=Piste.objects.visible().select_related("orientation").order_by("title"),
                to_attr="published_pistes",
            ),
            Prefetch(
                "cases",
                queryset=related_visible(self.model, "cases").for_cards().order_by("title"),
                to_attr="published_cases",
            ),
            Prefetch(
                "trainings",
                queryset=related_visible(self.model, "trainings").for_list().order_by("title"),
                to_attr="published_trainings",
            ),
        )


class Finding(Content):
    """What a report establishes besides its proposals: a controversy it examines, a terrain it
    observed, a purpose of training or a condition of learning it sets out."""

    class Kind(models.TextChoices):
        CONTROVERSY = "controverse", _("Controverse")
        FIELDWORK = "terrain", _("Terrain d'enquête")
        PURPOSE = "finalite", _("Finalité de formation")
        CONDITION = "condition", _("Condition d'apprentissage")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    code = models.CharField(
        _("code ou numéro"),
        max_length=20,
        blank=True,
        help_text=_("Tel que le rapport l'imprime, par ex. « T3 » ou « 2 »."),
    )
    title = models.CharField(
        _("titre"),
        max_length=400,
        help_text=_("Pour une controverse : sa question, telle qu'imprimée."),
    )
    summary = models.TextField(_("résumé"), blank=True)
    details = models.TextField(
        _("détails"), blank=True, help_text=_("Ce qui a été observé, les objectifs, les attentes…")
    )
    places = models.TextField(
        _("lieux"), blank=True, help_text=_("Pour un terrain : où il a eu lieu.")
    )
    practices = models.ManyToManyField(
        Practice, blank=True, related_name="findings", verbose_name=_("pratiques")
    )
    pistes = models.ManyToManyField(
        Piste, blank=True, related_name="findings", verbose_name=_("pistes")
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="findings", verbose_name=_("thèmes")
    )
    history = HistoricalRecords(m2m_fields=[practices, pistes, themes])

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("repère")
        verbose_name_plural = _("repères")
        ordering = ["source__title", "kind", "code", "title"]
        constraints = [status_constraint("finding"), provenance_constraint("finding")]

    def __str__(self):
        return f"{self.code} — {self.title}" if self.code else self.title

    def get_absolute_url(self):
        return detail_url("practices:finding_detail", self.slug)

    search_follow = ("themes",)

    def search_document(self):
        return {
            "title": [self.code, self.title],
            "summary": self.summary,
            "body": [
                self.details,
                self.places,
                self.get_kind_display(),
                *(theme.name for theme in self.themes.all()),
            ],
            "notes": [_("repère"), self.editor_note],
        }
