from django.db import migrations

from core.search import postgres_search_operations


class Migration(migrations.Migration):
    dependencies = [("trainings", "0001_initial"), ("practices", "0002_postgres_search")]

    operations = [postgres_search_operations("trainings_training")]
