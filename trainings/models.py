"""CNFPT training offers and the practices they teach."""

from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import (
    Content,
    ContentQuerySet,
    detail_url,
    provenance_constraint,
    status_constraint,
)
from practices.models import Finding, Practice, Theme


class TrainingQuerySet(ContentQuerySet):
    def in_domain(self, domain):
        return self.filter(domain=domain)

    def of_format(self, format):
        return self.filter(format=format)

    def at_least_days(self, days):
        return self.filter(duration_days__gte=days)

    def at_most_days(self, days):
        return self.filter(duration_days__lte=days)

    def for_practice(self, practice):
        return self.filter(practices=practice)

    def without_published_practice(self):
        """The gaps: trainings linked to no visible practice."""
        linked = TrainingPractice.objects.filter(Practice.objects.visibility("practice__"))
        return self.exclude(pk__in=linked.values("training"))

    def for_list(self):
        return self.select_related("source")

    def for_detail(self):
        return self.for_list().prefetch_related(
            "themes",
            Prefetch(
                "practice_links",
                queryset=TrainingPractice.objects.filter(Practice.objects.visibility("practice__"))
                .select_related("practice")
                .order_by("practice__title"),
                to_attr="published_links",
            ),
            Prefetch(
                "findings",
                queryset=Finding.objects.visible().order_by("kind", "code", "title"),
                to_attr="published_findings",
            ),
        )


class Training(Content):
    class Domain(models.TextChoices):
        EVALUATION = "evaluation", _("Évaluation des politiques publiques")
        DATA = "donnees", _("Usage des données")
        FORESIGHT = "prospective", _("Prospective territoriale")
        INNOVATION = "innovation", _("Innovation publique")
        MANAGEMENT = "management", _("Management")
        RECEPTION = "accueil", _("Accueil et relation à l'usager")
        LEGAL = "juridique", _("Juridique")
        PURCHASING = "achat-finances", _("Achat et finances")
        COMMUNICATION = "communication", _("Communication")

    class Format(models.TextChoices):
        COURSE = "stage", _("Stage (en jours)")
        WEBINAR = "webinaire", _("Webinaire")
        PATHWAY = "parcours", _("Parcours")
        NEWS_DAY = "journee-actualite", _("Journée d'actualité")
        EVENT = "evenementiel", _("Évènementiel")
        ITINERARY = "itineraire", _("Itinéraire")
        OTHER = "autre", _("Autre")

    title = models.CharField(_("titre"), max_length=400)
    duration_days = models.DecimalField(
        _("durée (jours)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    duration_label = models.CharField(
        _("libellé de durée"),
        max_length=100,
        blank=True,
        help_text=_("Quand le rapport ne donne pas de durée : webinaire, journée d'actualité…"),
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    domain = models.CharField(_("domaine"), max_length=20, choices=Domain.choices)
    audience = models.TextField(_("public"), blank=True)
    objectives = models.TextField(_("objectifs"), blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="trainings", verbose_name=_("thèmes")
    )
    practices = models.ManyToManyField(
        Practice,
        through="TrainingPractice",
        blank=True,
        related_name="trainings",
        verbose_name=_("pratiques enseignées"),
    )
    findings = models.ManyToManyField(
        Finding,
        blank=True,
        related_name="trainings",
        verbose_name=_("repères"),
        help_text=_(
            "Les finalités ou conditions d'apprentissage du rapport que sert la formation."
        ),
    )
    history = HistoricalRecords(m2m_fields=[themes, findings])

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("formation")
        verbose_name_plural = _("formations")
        ordering = ["title"]
        indexes = [models.Index(fields=["title", "id"], name="training_title_order")]
        constraints = [
            status_constraint("training"),
            provenance_constraint("training"),
            models.CheckConstraint(
                condition=Q(duration_days__isnull=True) | Q(duration_days__gte=0),
                name="training_duration_not_negative",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return detail_url("trainings:detail", self.slug)

    search_follow = ("themes",)

    def search_document(self):
        return {
            "title": self.title,
            "summary": self.objectives,
            "body": [
                self.audience,
                self.duration_label,
                self.get_domain_display(),
                self.get_format_display(),
                *(theme.name for theme in self.themes.all()),
            ],
            "notes": [_("formation"), self.editor_note],
        }

    @property
    def published_practices(self):
        """The visible practices of a training loaded with `for_detail()`."""
        return [link.practice for link in self.published_links]

    @property
    def duration_display(self):
        if self.duration_days is None:
            # Some lines of the reports print neither a duration nor a label.
            return self.duration_label or _("durée non précisée")
        days = f"{self.duration_days.normalize():f}".replace(".", ",")
        unit = _("jour") if self.duration_days <= 1 else _("jours")
        return f"{days} {unit}"


class TrainingPracticeQuerySet(models.QuerySet):
    def get_by_natural_key(self, training_slug, practice_slug):
        return self.get(training__slug=training_slug, practice__slug=practice_slug)


class TrainingPractice(models.Model):
    """A trainer's link between a training and a practice it teaches, with the reason."""

    training = models.ForeignKey(
        Training,
        on_delete=models.CASCADE,
        related_name="practice_links",
        verbose_name=_("formation"),
    )
    practice = models.ForeignKey(
        Practice,
        on_delete=models.CASCADE,
        related_name="training_links",
        verbose_name=_("pratique"),
    )
    reason = models.CharField(_("raison du lien"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TrainingPracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("lien formation – pratique")
        verbose_name_plural = _("liens formation – pratique")
        constraints = [
            models.UniqueConstraint(
                fields=["training", "practice"], name="training_practice_unique"
            )
        ]

    def __str__(self):
        return f"{self.training} → {self.practice}"

    def natural_key(self):
        return (self.training.slug, self.practice.slug)

    natural_key.dependencies = ["trainings.training", "practices.practice"]
