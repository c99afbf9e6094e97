from django.db import migrations, models


def copy_from_practices(apps, schema_editor):
    """Both models lived in `practices` before `core` existed: keep their rows."""
    for name in ["ContentVersion", "SeededRecord"]:
        old, new = apps.get_model("practices", name), apps.get_model("core", name)
        fields = [f.attname for f in old._meta.concrete_fields]
        new.objects.bulk_create(
            new(**{field: getattr(row, field) for field in fields}) for row in old.objects.all()
        )
    if not apps.get_model("core", "ContentVersion").objects.exists():
        apps.get_model("core", "ContentVersion").objects.create(pk=1)


class Migration(migrations.Migration):
    initial = True

    dependencies = [("practices", "0005_content_version")]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveBigIntegerField(default=1)),
            ],
            options={"verbose_name": "version du contenu"},
        ),
        migrations.CreateModel(
            name="SeededRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("model", models.CharField(max_length=60)),
                ("key", models.CharField(max_length=250)),
                ("data", models.JSONField()),
                ("seeded_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "trace de chargement",
                "verbose_name_plural": "traces de chargement",
                "constraints": [models.UniqueConstraint(fields=("model", "key"), name="core_seededrecord_unique")],
            },
        ),
        migrations.RunPython(copy_from_practices, migrations.RunPython.noop),
    ]
