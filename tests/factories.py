"""Test data: one factory per model, and a Published… subclass per state."""

from decimal import Decimal

import factory

from cases.models import CaseStudy, Territory
from practices.models import Finding, Orientation, Piste, Practice, Source, Status, Tag, Theme
from trainings.models import Training, TrainingPractice


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Rapport d'étude n° {n}")
    short_title = factory.Sequence(lambda n: f"Rapport {n}")
    slug = factory.Sequence(lambda n: f"rapport-{n}")
    kind = Source.Kind.STUDY
    year = 2022
    date_label = "2022"
    status = Status.PUBLISHED


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Étiquette{n}")
    slug = factory.Sequence(lambda n: f"etiquette-{n}")


class ContentFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        skip_postgeneration_save = True

    source = factory.SubFactory(SourceFactory)
    pages = "11"
    status = Status.DRAFT


class PracticeFactory(ContentFactory):
    class Meta:
        model = Practice

    title = factory.Sequence(lambda n: f"Pratique {n}")
    slug = factory.Sequence(lambda n: f"pratique-{n}")
    family = Practice.Family.PROXIMITY
    summary = "Une manière de faire."

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class PublishedPracticeFactory(PracticeFactory):
    status = Status.PUBLISHED


class OrientationFactory(ContentFactory):
    class Meta:
        model = Orientation

    title = factory.Sequence(lambda n: f"Orientation {n}")
    slug = factory.Sequence(lambda n: f"orientation-{n}")
    number = factory.Sequence(lambda n: n + 1)


class PublishedOrientationFactory(OrientationFactory):
    status = Status.PUBLISHED


class PisteFactory(ContentFactory):
    class Meta:
        model = Piste

    orientation = factory.SubFactory(PublishedOrientationFactory)
    source = factory.SelfAttribute("orientation.source")
    title = factory.Sequence(lambda n: f"Piste {n}")
    slug = factory.Sequence(lambda n: f"piste-{n}")
    number = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def practices(self, create, extracted, **kwargs):
        if create and extracted:
            self.practices.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class PublishedPisteFactory(PisteFactory):
    status = Status.PUBLISHED


class FindingFactory(ContentFactory):
    class Meta:
        model = Finding

    title = factory.Sequence(lambda n: f"Repère {n}")
    slug = factory.Sequence(lambda n: f"repere-{n}")
    kind = Finding.Kind.CONTROVERSY
    summary = "Un repère."

    @factory.post_generation
    def practices(self, create, extracted, **kwargs):
        if create and extracted:
            self.practices.set(extracted)

    @factory.post_generation
    def pistes(self, create, extracted, **kwargs):
        if create and extracted:
            self.pistes.set(extracted)


class PublishedFindingFactory(FindingFactory):
    status = Status.PUBLISHED


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    name = factory.Sequence(lambda n: f"Commune {n}")
    slug = factory.Sequence(lambda n: f"commune-{n}")
    kind = Territory.Kind.COMMUNE
    departement = "Gironde"
    region = "Nouvelle-Aquitaine"


class CaseStudyFactory(ContentFactory):
    class Meta:
        model = CaseStudy

    title = factory.Sequence(lambda n: f"Cas {n}")
    slug = factory.Sequence(lambda n: f"cas-{n}")
    kind = CaseStudy.Kind.FOCUS
    territory = factory.SubFactory(TerritoryFactory)
    summary = "Un cas."

    @factory.post_generation
    def practices(self, create, extracted, **kwargs):
        if create and extracted:
            self.practices.set(extracted)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def pistes(self, create, extracted, **kwargs):
        if create and extracted:
            self.pistes.set(extracted)

    @factory.post_generation
    def findings(self, create, extracted, **kwargs):
        if create and extracted:
            self.findings.set(extracted)


class PublishedCaseStudyFactory(CaseStudyFactory):
    status = Status.PUBLISHED


class TrainingFactory(ContentFactory):
    class Meta:
        model = Training

    title = factory.Sequence(lambda n: f"Formation {n}")
    slug = factory.Sequence(lambda n: f"formation-{n}")
    duration_days = Decimal("2")
    format = Training.Format.COURSE
    domain = Training.Domain.EVALUATION

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class PublishedTrainingFactory(TrainingFactory):
    status = Status.PUBLISHED


class TrainingPracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingPractice

    training = factory.SubFactory(PublishedTrainingFactory)
    practice = factory.SubFactory(PublishedPracticeFactory)
    reason = "Encadré formation"
