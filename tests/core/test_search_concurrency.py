"""Two transactions that re-index the same record at once (PostgreSQL, READ COMMITTED): an
editor saves a case while another renames its territory, which re-indexes the case too."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from cases.models import CaseStudy
from core import search
from core.models import SearchEntry
from core.search import best_matches
from tests.factories import PublishedCaseStudyFactory, TerritoryFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite lets one transaction write at a time"
    ),
    pytest.mark.django_db(transaction=True),
]


def wait_for_a_blocked_transaction(cursor, seconds=10):
    """Until another session of this database waits for one of our row locks."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        if cursor.fetchone()[0]:
            return True
        time.sleep(0.02)
    return False


def test_a_case_saved_while_its_territory_is_renamed_is_indexed_with_both_changes():
    territory = TerritoryFactory(name="Pessac")
    case = PublishedCaseStudyFactory(title="Le budget", territory=territory)
    renamed, blocked, failures = threading.Event(), [], []

    def rename_the_territory():
        try:
            with transaction.atomic():
                territory.name = "Mérignac"
                territory.save()  # re-indexes the case: its title shows the territory's name
                renamed.set()
                with connection.cursor() as cursor:
                    blocked.append(wait_for_a_blocked_transaction(cursor))
        except Exception as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)
        finally:
            renamed.set()
            connections.close_all()

    other = threading.Thread(target=rename_the_territory)
    other.start()
    assert renamed.wait(10)
    case.title = "Le budget des écoles"
    case.save()  # waits for the rename's entry of the case, then writes its own
    other.join()

    assert failures == [] and blocked == [True]
    entry = SearchEntry.objects.get(kind=search.kind(CaseStudy), object_id=case.pk)
    assert "ecol" in entry.title.split() and "merignac" in entry.title.split()
    published = CaseStudy.objects.published()
    assert best_matches(published, "écoles", 10) == ([case.pk], 0)
    assert best_matches(published, "Mérignac", 10) == ([case.pk], 0)
