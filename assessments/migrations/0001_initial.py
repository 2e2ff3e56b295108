"""The assessments app's first migration (its models arrive in later migrations)."""

from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = [("crimedata", "0003_roles")]
    operations: list = []
