"""The read-only JSON API (/api/v1/): each app's router, published records only."""

from ninja import NinjaAPI

from cases.api import router as cases_router
from practices.api import router as practices_router
from trainings.api import router as trainings_router

api = NinjaAPI(
    title="Transfo API",
    version="1",
    description=(
        "API en lecture seule du répertoire Transfo : pratiques, cas, formations, orientations, "
        "pistes, repères, territoires, sources et thèmes publiés. Données sous Licence Ouverte / "
        "Etalab 2.0."
    ),
    urls_namespace="api",
)
api.add_router("", cases_router)
api.add_router("", practices_router)
api.add_router("", trainings_router)


def declare_cache_params(urls):
    """The page cache keys an API answer on the parameters its endpoints read: every list filter,
    search and paging (core.cache). An unknown parameter then shares the cached answer.
    `urls` is the `api.urls` that the URL configuration serves (each access builds new views)."""
    from cases.filters import CaseStudyFilterSet
    from practices.filters import (
        FindingFilterSet,
        OrientationFilterSet,
        PisteFilterSet,
        PracticeFilterSet,
    )
    from trainings.filters import TrainingFilterSet

    names = {"page", "page_size"}
    for filterset in [
        CaseStudyFilterSet,
        PracticeFilterSet,
        TrainingFilterSet,
        OrientationFilterSet,
        PisteFilterSet,
        FindingFilterSet,
    ]:
        names |= set(filterset.base_filters)
    patterns = list(urls[0])
    while patterns:
        pattern = patterns.pop()
        if hasattr(pattern, "url_patterns"):
            patterns.extend(pattern.url_patterns)
        else:
            pattern.callback.cache_params = frozenset(names)
