"""The two staff groups and their rights. Staff users get their rights from these groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = {
    "practices": ["source", "theme", "tag", "practice", "orientation", "piste"],
    "cases": ["territory", "casestudy"],
    "trainings": ["training", "trainingpractice"],
}
ROLES = {
    # Create, edit, publish every content record.
    "Éditeurs": [
        *[(app, f"{action}_{model}") for app, models in CONTENT.items() for model in models
          for action in ("add", "change", "delete", "view")],
        ("practices", "change_practice_content"),
    ],
    # Edit trainings and their links to practices; see the rest. `change_practice` without
    # `change_practice_content` lets them link trainings from a practice's page, read-only otherwise.
    "Formateurs": [
        *[(app, f"view_{model}") for app, models in CONTENT.items() for model in models],
        *[("trainings", f"{action}_{model}") for model in ("training", "trainingpractice")
          for action in ("add", "change", "delete")],
        ("practices", "change_practice"),
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in codenames]
        )


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("practices", "0003_history_versions"),
        ("cases", "0003_history_illustration"),
        ("trainings", "0003_history_versions"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
