from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Socle")

    def ready(self):
        from core import search
        from core.cache import connect_invalidation
        from core.models import Synonym

        search.connect_signals()
        post_migrate.connect(build_missing_index, sender=self)
        # A synonym changes what searches find: cached pages must not outlive it.
        connect_invalidation([Synonym])


def build_missing_index(using="default", **kwargs):
    """A database migrated from before the search index gets it built once, at migrate time."""
    from core import search
    from core.models import SearchEntry

    if SearchEntry.objects.using(using).exists():
        return
    if any(model._default_manager.using(using).exists() for model in search.searchable_models()):
        search.rebuild(using=using)
