from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

# The apps whose records the public site shows.
CONTENT_APPS = ["practices", "cases", "trainings"]


def content_models():
    """Every model of the content apps, history tables aside."""
    return [
        model
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.label.split(".")[1].startswith("Historical")
    ]


class TransfoConfig(AppConfig):
    name = "transfo"
    verbose_name = _("Transfo")

    def ready(self):
        from core.cache import connect_invalidation

        connect_invalidation(content_models())
