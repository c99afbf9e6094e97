from django.db import migrations

from core.search import index_title_words


class Migration(migrations.Migration):
    """PostgreSQL: every word of every entry's title with the rank of its entry for that word
    alone, so that the best title matches of a one-word search are read in order."""

    dependencies = [
        ("core", "0006_search_title_tier"),
    ]

    operations = [index_title_words()]
