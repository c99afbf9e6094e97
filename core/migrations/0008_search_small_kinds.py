from django.db import migrations

from core.search import index_small_kinds


class Migration(migrations.Migration):
    """PostgreSQL: each kind of a few hundred records gets a full-text index of its own, so that
    its matches are found without reading those of the thousands of cases."""

    dependencies = [
        ("core", "0007_search_title_words"),
    ]

    operations = [index_small_kinds()]
