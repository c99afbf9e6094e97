from django.db import migrations

from core.search import index_title_tier


class Migration(migrations.Migration):
    """PostgreSQL: each entry's title as a vector of its own (the first tier of the ranking:
    the records whose title holds the words), and the kind inside the full-text indexes."""

    dependencies = [
        ("core", "0005_search_index_kind"),
    ]

    operations = [index_title_tier()]
