import pytest

from tests.factories import (
    PublishedCaseStudyFactory,
    PublishedPisteFactory,
    PublishedPracticeFactory,
    PublishedTrainingFactory,
    ThemeFactory,
    TrainingPracticeFactory,
)


@pytest.fixture
def world(db):
    """A small published repository: enough rows on every page that an N+1 query would show."""
    themes = ThemeFactory.create_batch(2)
    practices = PublishedPracticeFactory.create_batch(3, themes=themes)
    pistes = PublishedPisteFactory.create_batch(3, practices=practices)
    cases = [
        PublishedCaseStudyFactory(practices=practices, themes=themes, pistes=pistes, kind=kind)
        for kind in ["cas-etudie", "cas-etudie", "focus", "reference"]
    ]
    trainings = PublishedTrainingFactory.create_batch(3, themes=themes)
    for training in trainings:
        for practice in practices:
            TrainingPracticeFactory(training=training, practice=practice)
    return {
        "themes": themes,
        "practices": practices,
        "pistes": pistes,
        "cases": cases,
        "trainings": trainings,
    }
