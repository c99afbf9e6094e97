"""The open data package: every app's tables, in the order of the package."""

from cases.opendata import CASES, TERRITORIES
from practices.opendata import FINDINGS, ORIENTATIONS, PISTES, PRACTICES, SOURCES, THEMES
from trainings.opendata import TRAININGS

TABLES = {
    table.name: table
    for table in [
        CASES,
        PRACTICES,
        TRAININGS,
        ORIENTATIONS,
        PISTES,
        FINDINGS,
        TERRITORIES,
        SOURCES,
        THEMES,
    ]
}
