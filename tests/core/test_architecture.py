"""The layers: `core` imports no app, the apps import `core` and the apps below them, and only
`transfo` sees every app. And every content model is in each list that must name them all."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

from core.seeding import MODEL_ORDER
from transfo.apps import content_models
from transfo.opendata import TABLES
from transfo.sitemaps import sitemaps
from transfo.views import SEARCHED_TYPES

PACKAGES = ["core", "practices", "cases", "trainings", "transfo"]
# What each package may import, among ours: cases → practices ← trainings, all → core.
ALLOWED = {
    "core": set(),
    "practices": {"core"},
    "cases": {"core", "practices"},
    "trainings": {"core", "practices"},
    "transfo": {"core", "practices", "cases", "trainings"},
}


def imported_packages(package):
    """Our packages that the Python files of `package` import, migrations aside."""
    found = set()
    for path in (Path(settings.BASE_DIR) / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found |= {name.split(".")[0] for name in names} & set(PACKAGES)
    return found - {package}


def test_each_package_imports_only_the_layers_below_it():
    graph = {package: imported_packages(package) for package in PACKAGES}
    assert {package: graph[package] - ALLOWED[package] for package in PACKAGES} == {
        package: set() for package in PACKAGES
    }, graph


def publishable_models():
    return {model for model in content_models() if hasattr(model.objects, "visible")}


def test_every_publishable_model_is_in_the_open_data_the_sitemap_and_search():
    assert publishable_models() <= {table.model for table in TABLES.values()}
    assert publishable_models() <= {
        sitemap.model for sitemap in sitemaps.values() if hasattr(sitemap, "model")
    }
    searched = {searched.model for searched in SEARCHED_TYPES}
    assert publishable_models() <= searched


def test_every_content_model_is_seeded_in_order_and_invalidates_the_cache():
    seeded = {apps.get_model(label) for label in MODEL_ORDER}
    links = {
        apps.get_model("trainings", "TrainingPractice"),
        apps.get_model("cases", "CasePractice"),
    }
    assert publishable_models() | links <= seeded
    from django.db.models.signals import post_save

    for model in content_models():
        assert post_save.has_listeners(model), model
