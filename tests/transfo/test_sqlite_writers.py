"""SQLite, the default database: two writers at once queue instead of failing."""

import threading

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper

from transfo.settings import database_from_url


@pytest.fixture(autouse=True)
def own_databases(django_db_blocker):
    # These tests open their own SQLite files, not the test database.
    with django_db_blocker.unblock():
        yield


def connection_to(path):
    settings = database_from_url(f"sqlite:///{path}")
    settings.setdefault("OPTIONS", {})
    settings.update(
        {
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
        }
    )
    return DatabaseWrapper(settings, alias=f"writer-{threading.get_ident()}")


def test_the_default_database_uses_wal_and_immediate_transactions(tmp_path):
    assert database_from_url(None)["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    connection = connection_to(tmp_path / "db.sqlite3")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    connection.close()


def test_two_writers_that_read_first_both_succeed(tmp_path):
    """Without IMMEDIATE transactions, two transactions that read then write deadlock, and
    SQLite fails one at once with "database is locked" (the 500 of the review)."""
    path = tmp_path / "db.sqlite3"
    setup = connection_to(path)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n INTEGER)")
        cursor.execute("INSERT INTO counter VALUES (0)")
    setup.close()
    both_read = threading.Barrier(2, timeout=2)
    errors = []

    def writer():
        connection = connection_to(path)
        try:
            with connection.cursor() as cursor:
                cursor.execute("BEGIN IMMEDIATE" if connection.transaction_mode else "BEGIN")
                cursor.execute("SELECT n FROM counter")
                try:
                    both_read.wait()
                except threading.BrokenBarrierError:
                    pass  # the other writer waits for this one: expected with IMMEDIATE
                cursor.execute("UPDATE counter SET n = n + 1")
                cursor.execute("COMMIT")
        except Exception as error:  # noqa: BLE001 — the failure under test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    check = connection_to(path)
    with check.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert cursor.fetchone()[0] == 2
    check.close()
