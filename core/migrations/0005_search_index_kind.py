from django.db import migrations

from core.search import index_kinds


class Migration(migrations.Migration):
    """SQLite's full-text index holds each entry's kind: a kind's search, count and ranking stay
    inside the index (no join of every matching entry to learn its kind)."""

    dependencies = [
        ("core", "0004_publish_permission"),
    ]

    operations = [index_kinds()]
