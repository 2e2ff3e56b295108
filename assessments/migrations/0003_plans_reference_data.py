"""Install the shared theme list, the county-wide agencies and the MoRiLE multiplier table.

``install`` is idempotent and also used by tests after a transactional test
has flushed the tables.
"""

from decimal import Decimal

from django.db import migrations


def install(apps, schema_editor) -> None:
    from assessments.plans import reference

    Theme = apps.get_model("assessments", "Theme")
    Agency = apps.get_model("assessments", "Agency")
    MorileMultiplier = apps.get_model("assessments", "MorileMultiplier")
    for order, (slug, name, description) in enumerate(reference.THEMES, start=1):
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "description": description,
                                                          "display_order": order})
    for name, kind in reference.AGENCIES:
        Agency.objects.get_or_create(name=name, defaults={"kind": kind})
    for score, multiplier in reference.MULTIPLIERS.items():
        MorileMultiplier.objects.get_or_create(csp_score=score, defaults={"multiplier": Decimal(str(multiplier))})


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_plans")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
