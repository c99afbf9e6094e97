"""Editors maintain the search synonyms; trainers can read them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RIGHTS = {
    "Éditeurs": ["add_synonym", "change_synonym", "delete_synonym", "view_synonym"],
    "Formateurs": ["view_synonym"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("core")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in RIGHTS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="core", codename__in=codenames)
            )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=RIGHTS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="core", codename__endswith="synonym")
        )


class Migration(migrations.Migration):
    dependencies = [("transfo", "0001_roles"), ("core", "0003_search_fts")]

    operations = [migrations.RunPython(grant, revoke)]
