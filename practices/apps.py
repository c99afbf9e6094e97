from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Pratiques et propositions")

    def ready(self):
        from cases.models import CaseStudy, Territory
        from trainings.models import Training, TrainingPractice
        from transfo.cache import connect_invalidation

        from .models import Orientation, Piste, Practice, Source, Tag, Theme

        connect_invalidation(
            [
                Source,
                Theme,
                Tag,
                Practice,
                Orientation,
                Piste,
                Territory,
                CaseStudy,
                Training,
                TrainingPractice,
            ]
        )
