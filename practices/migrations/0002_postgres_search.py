from django.db import migrations

from core.search import install_search_config, postgres_search_operations


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [
        install_search_config(),
        postgres_search_operations("practices_practice"),
        postgres_search_operations("practices_orientation"),
        postgres_search_operations("practices_piste"),
    ]
