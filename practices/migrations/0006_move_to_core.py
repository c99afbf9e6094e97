from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0005_content_version"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="ContentVersion"),
        migrations.DeleteModel(name="SeededRecord"),
    ]
