"""Only editors publish and read the field's contributions (with their private e-mail):
the Éditeurs group gets `core.publish_content` and the contribution rights; trainers do not."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = [
    ("core", "publish_content"),
    ("cases", "view_contribution"),
    ("cases", "change_contribution"),
    ("cases", "delete_contribution"),
]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    for label in ("core", "cases"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Éditeurs")
    group.permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in EDITORS
        ]
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Éditeurs").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label__in=["core", "cases"],
                codename__in=[codename for _, codename in EDITORS],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("transfo", "0002_search_fts_synonym_role"),
        ("core", "0004_publish_permission"),
        ("cases", "0007_contributions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
