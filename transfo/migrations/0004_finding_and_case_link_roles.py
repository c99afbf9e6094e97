"""Rights on the models added after the groups: findings and case–practice links."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NEW = {"practices": ["finding"], "cases": ["casepractice"]}
ROLES = {
    "Éditeurs": [
        (app, f"{action}_{model}")
        for app, models in NEW.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    ],
    "Formateurs": [(app, f"view_{model}") for app, models in NEW.items() for model in models],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *[
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in codenames
            ]
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label__in=NEW, codename__in=[c for _, c in codenames]
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("transfo", "0003_workspace_roles"),
        ("practices", "0008_search_fts_drop_search_text"),
        ("cases", "0008_case_practice_history"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
