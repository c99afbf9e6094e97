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


def staff_member(username, group_name):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", "motdepasse-solide", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db):
    """Persona: an editor of CNFPT/INET staff, in the Éditeurs group."""
    return staff_member("editrice", "Éditeurs")


@pytest.fixture
def trainer(db):
    """Persona: a trainer, in the Formateurs group."""
    return staff_member("formateur", "Formateurs")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Personas log in many times; a slow hasher only costs time in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Pages are rendered afresh in tests; tests of the cache turn it back on."""
    from django.core.cache import cache

    from transfo.views import KEPT_RESULTS

    settings.PAGE_CACHE_SECONDS = 0
    cache.clear()
    KEPT_RESULTS.clear()
