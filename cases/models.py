"""Territories and the case studies that show practices at work."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import (
    Content,
    ContentQuerySet,
    SearchableQuerySet,
    SlugQuerySet,
    detail_url,
    provenance_constraint,
    status_constraint,
)
from core.search import SearchRelation
from practices.models import Finding, Piste, Practice, Theme

from .images import validate_illustration
from .official import POPULATION_BANDS


class TerritoryQuerySet(SearchableQuerySet, SlugQuerySet):
    def with_published_cases(self):
        """Territories the public can reach: those with at least one visible case."""
        return self.filter(Exists(CaseStudy.objects.visible().filter(territory=OuterRef("pk"))))

    def for_detail(self):
        return self.prefetch_related(
            Prefetch(
                "cases",
                queryset=CaseStudy.objects.visible().for_cards().order_by("title"),
                to_attr="published_cases",
            )
        )


class Territory(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        INTERCOMMUNALITY = "intercommunalite", _("Intercommunalité")
        METROPOLIS = "metropole", _("Métropole")
        DEPARTEMENT = "departement", _("Département")
        REGION = "region", _("Région")
        STATE = "etat", _("État")
        ASSOCIATION = "association", _("Association")
        COMPANY = "entreprise", _("Entreprise")
        ABROAD = "etranger", _("Étranger")
        OTHER = "autre", _("Autre")

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    departement = models.CharField(_("département"), max_length=100, blank=True)
    region = models.CharField(_("région"), max_length=100, blank=True)
    code = models.CharField(
        _("code INSEE ou SIREN"), max_length=14, blank=True, help_text=_("Facultatif.")
    )
    # The official identity, from the Code officiel géographique (manage.py match_territories).
    insee_code = models.CharField(_("code INSEE (COG)"), max_length=5, blank=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    official_type = models.CharField(_("type officiel"), max_length=60, blank=True)
    departement_code = models.CharField(_("code du département"), max_length=3, blank=True)
    region_code = models.CharField(_("code de la région"), max_length=3, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    search_index = SearchRelation()
    history = HistoricalRecords()

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["name"]
        indexes = [
            # The case list's région and département facets.
            models.Index(fields=["region", "departement"], name="territory_region_dept"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_url("cases:territory_detail", self.slug)

    @property
    def kind_label(self):
        """What get_kind_display() gives, without its cost: it translates every option's label
        at each call (ten per territory, 500 on a list of fifty), this one only."""
        try:
            return self.Kind(self.kind).label
        except ValueError:
            return self.kind

    def natural_key(self):
        return (self.slug,)

    def search_document(self):
        return {
            "title": self.name,
            "summary": [self.departement, self.region],
            "body": [self.get_kind_display(), self.code],
            "notes": _("territoire"),
        }


class CasePracticeQuerySet(models.QuerySet):
    def get_by_natural_key(self, case_slug, practice_slug):
        return self.get(casestudy__slug=case_slug, practice__slug=practice_slug)


class CasePractice(models.Model):
    """A case shows a practice at work; the reason names the passage of the report it rests on."""

    casestudy = models.ForeignKey(
        "CaseStudy", on_delete=models.CASCADE, related_name="practice_links", verbose_name=_("cas")
    )
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="case_links", verbose_name=_("pratique")
    )
    reason = models.CharField(
        _("raison du lien"),
        max_length=300,
        blank=True,
        help_text=_("Ce que le rapport dit du cas qui le relie à la pratique ; visible du public."),
    )
    # Its history is the case's: a link added, removed or explained shows in the case's history.
    objects = CasePracticeQuerySet.as_manager()

    class Meta:
        # The table of the plain many-to-many this model replaced.
        db_table = "cases_casestudy_practices"
        verbose_name = _("lien cas – pratique")
        verbose_name_plural = _("liens cas – pratique")
        constraints = [
            models.UniqueConstraint(fields=["casestudy", "practice"], name="case_practice_unique")
        ]

    def __str__(self):
        return f"{self.casestudy} → {self.practice}"

    def natural_key(self):
        return (self.casestudy.slug, self.practice.slug)

    natural_key.dependencies = ["cases.casestudy", "practices.practice"]


class CaseStudyQuerySet(ContentQuerySet):
    def of_kind(self, kind):
        return self.filter(kind=kind)

    def in_territory_kind(self, kind):
        return self.filter(territory__kind=kind)

    def in_region(self, region):
        return self.filter(territory__region=region)

    def in_departement(self, departement):
        return self.filter(territory__departement=departement)

    def of_population_band(self, band):
        """Cases of collectivities whose population is in a band of POPULATION_BANDS."""
        for key, _label, low, high in POPULATION_BANDS:
            if key == band:
                cases = self.filter(territory__population__gte=low)
                return cases.filter(territory__population__lt=high) if high else cases
        return self.none()

    def for_practice(self, practice):
        return self.filter(practices=practice)

    def with_theme(self, theme):
        return self.filter(themes=theme)

    def active_in(self, year):
        """Cases whose period covers the year (a case with one year is active that year)."""
        year = int(year)
        return self.filter(year_start__lte=year).filter(
            Q(year_end__gte=year) | Q(year_end__isnull=True, year_start=year)
        )

    def sharing_practices(self, practices):
        # A semi-join on the links: no DISTINCT over thousands of cases that share a practice.
        return self.filter(
            pk__in=CasePractice.objects.filter(practice__in=practices).values("casestudy")
        )

    def for_list(self):
        return self.select_related("territory", "source").prefetch_related(
            Prefetch(
                "practice_links",
                queryset=CasePractice.objects.filter(Practice.objects.visibility("practice__"))
                .select_related("practice")
                .order_by("practice__title"),
                to_attr="published_practice_links",
            )
        )

    def for_detail(self):
        return self.for_list().prefetch_related(
            "themes",
            Prefetch(
                "pistes",
                queryset=Piste.objects.visible().select_related("orientation").order_by("title"),
                to_attr="published_pistes",
            ),
            Prefetch(
                "findings",
                queryset=Finding.objects.visible().order_by("kind", "code", "title"),
                to_attr="published_findings",
            ),
        )


class CaseStudy(Content):
    class Kind(models.TextChoices):
        FOCUS = "focus", _("Focus")
        REFERENCE = "reference", _("Référence inspirante")
        STUDIED = "cas-etudie", _("Cas étudié")
        PROJECT = "projet-collectif", _("Projet collectif INET")
        INSPIRATION = "inspiration", _("Inspiration")
        EXAMPLE = "exemple", _("Exemple")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=300)
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("territoire"),
    )
    commissioner = models.CharField(_("commanditaire ou référent"), max_length=300, blank=True)
    period = models.CharField(
        _("période"), max_length=60, blank=True, help_text=_("Telle que le rapport la donne.")
    )
    year_start = models.PositiveSmallIntegerField(_("année de début"), null=True, blank=True)
    year_end = models.PositiveSmallIntegerField(_("année de fin"), null=True, blank=True)
    summary = models.TextField(_("résumé"), blank=True)
    key_facts = models.TextField(_("chiffres et faits clés"), blank=True)
    method = models.TextField(_("méthode"), blank=True)
    actors = models.TextField(_("acteurs"), blank=True)
    results = models.TextField(_("résultats"), blank=True)
    success_factors = models.TextField(_("facteurs de réussite"), blank=True)
    limits = models.TextField(_("limites"), blank=True)
    practices = models.ManyToManyField(
        Practice,
        through=CasePractice,
        blank=True,
        related_name="cases",
        verbose_name=_("pratiques"),
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="cases", verbose_name=_("thèmes")
    )
    pistes = models.ManyToManyField(
        Piste,
        blank=True,
        related_name="inspirations",
        verbose_name=_("pistes inspirées"),
        help_text=_("Les pistes dont ce cas est une inspiration."),
    )
    illustration = models.ImageField(
        _("illustration"),
        upload_to="cas/",
        blank=True,
        validators=[validate_illustration],
        help_text=_("JPEG, PNG ou WebP, 5 Mo et 40 millions de pixels au plus."),
    )
    illustration_alt = models.CharField(
        _("texte alternatif de l'illustration"),
        max_length=250,
        blank=True,
        help_text=_(
            "Ce que montre l'image, pour les personnes qui ne la voient pas. Obligatoire avec une illustration."
        ),
    )
    # Made once when the illustration changes (services.casestudy_set_illustration), not per request.
    thumbnail = models.ImageField(upload_to="cas/vignettes/", blank=True, editable=False)
    findings = models.ManyToManyField(
        Finding,
        blank=True,
        related_name="cases",
        verbose_name=_("repères"),
        help_text=_("Les controverses ou terrains du rapport dont ce cas relève."),
    )
    history = HistoricalRecords(m2m_fields=[practices, themes, pistes, findings])
    # The thumbnail is made after the save, without a new version (services.casestudy_make_thumbnail).
    unversioned_fields = ("thumbnail",)

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cas")
        verbose_name_plural = _("cas")
        ordering = ["title"]
        constraints = [
            status_constraint("casestudy"),
            provenance_constraint("casestudy"),
            models.CheckConstraint(
                condition=Q(year_start__isnull=True)
                | Q(year_start__gte=1900, year_start__lte=2100),
                name="casestudy_year_start_plausible",
            ),
            models.CheckConstraint(
                condition=Q(illustration="") | ~Q(illustration_alt=""),
                name="casestudy_illustration_has_alt",
            ),
            models.CheckConstraint(
                condition=Q(year_end__isnull=True)
                | (Q(year_start__isnull=False) & Q(year_end__gte=models.F("year_start"))),
                name="casestudy_period_ordered",
            ),
        ]
        indexes = [
            # The case list's "period" filter and sort.
            models.Index(fields=["year_start", "year_end"], name="casestudy_period"),
            # Lists stop after one page of the title (or period) order instead of sorting every case.
            models.Index(fields=["title", "id"], name="casestudy_title_order"),
            models.Index(fields=["-year_start", "title"], name="casestudy_period_order"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return detail_url("cases:detail", self.slug)

    def clean(self):
        super().clean()
        if self.illustration and not self.illustration_alt.strip():
            raise ValidationError(
                {
                    "illustration_alt": _(
                        "Décrivez l'illustration : le texte alternatif est obligatoire."
                    )
                }
            )

    @property
    def published_practices(self):
        """The visible practices of a case loaded with `for_list()` or `for_detail()`."""
        return [link.practice for link in self.published_practice_links]

    def publication_problems(self):
        problems = super().publication_problems()
        if self.territory_id is None:
            problems.append(_("Indiquez le territoire : la collectivité ou l’organisation du cas."))
        if self.pk is None or not self.practices.exists():
            problems.append(_("Reliez le cas à au moins une pratique."))
        return problems

    # A case's document shows its territory, themes and practices: renaming one re-indexes it.
    search_follow = ("territory", "themes", "practices")
    # The kind that counts its records in thousands: its ranking goes tier by tier (the records
    # whose title holds the words, then the others only if needed; see core.search.best_matches).
    search_tiered = True

    def search_document(self):
        territory = self.territory
        return {
            "title": [self.title, territory.name if territory else ""],
            "summary": [self.summary, self.commissioner],
            "body": [
                self.key_facts,
                self.method,
                self.actors,
                self.results,
                self.success_factors,
                self.limits,
                self.period,
                territory.departement if territory else "",
                territory.region if territory else "",
                *(theme.name for theme in self.themes.all()),
                # Only what visitors may see: a draft practice's title stays out.
                *(
                    practice.title
                    for practice in self.practices.filter(Practice.objects.visibility())
                ),
            ],
            "notes": [_("cas"), self.get_kind_display(), self.editor_note],
        }


class Contribution(models.Model):
    """An experience proposed by a visitor on /proposer/.

    It becomes a case « À relire », never public: only an editor publishes it. The contact e-mail
    is private (never on the site, nor in exports, nor shown to trainers)."""

    case = models.OneToOneField(
        CaseStudy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contribution",
        verbose_name=_("cas créé"),
    )
    collectivity = models.CharField(_("collectivité"), max_length=200)
    practice_text = models.CharField(_("pratique (texte libre)"), max_length=200, blank=True)
    contact_name = models.CharField(_("nom du contact"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail du contact"), max_length=254)
    consent = models.BooleanField(_("accord de publication sous Licence Ouverte"), default=False)
    submitted_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    reply = models.TextField(_("réponse envoyée"), blank=True)
    replied_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("répondu par"),
    )

    class Meta:
        verbose_name = _("proposition de terrain")
        verbose_name_plural = _("propositions de terrain")
        ordering = ["-submitted_at"]

    def __str__(self):
        return _("Proposition de %(collectivity)s (%(email)s)") % {
            "collectivity": self.collectivity,
            "email": self.contact_email,
        }
