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
