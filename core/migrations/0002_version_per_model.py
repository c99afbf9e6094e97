from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        # The one global counter gives way to a counter per model; pages are keyed anew.
        migrations.RunPython(
            lambda apps, schema_editor: apps.get_model("core", "ContentVersion").objects.all().delete(),
            migrations.RunPython.noop,
        ),
        migrations.AddField(
            model_name="contentversion",
            name="model",
            field=models.CharField(max_length=100, unique=True, default=""),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="contentversion",
            options={"verbose_name": "version du contenu", "verbose_name_plural": "versions du contenu"},
        ),
    ]
