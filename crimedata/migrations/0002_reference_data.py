"""Install the Kent reference data into every fresh database.

Districts, comparison groups and categories come from crimedata.reference
(docs/methods.md §12 and §10). Administrators edit them afterwards in the admin.
"""

import secrets

from django.db import migrations

from crimedata import reference


def install(apps, schema_editor):
    District = apps.get_model("crimedata", "District")
    ComparisonGroup = apps.get_model("crimedata", "ComparisonGroup")
    Category = apps.get_model("crimedata", "Category")
    DataGeneration = apps.get_model("crimedata", "DataGeneration")

    districts = {}
    for ref in reference.DISTRICTS:
        districts[ref.code], _ = District.objects.update_or_create(
            code=ref.code,
            defaults={
                "name": ref.name,
                "slug": ref.slug,
                "former_names": ", ".join(ref.former_names),
                "police_division": ref.police_division,
                "in_kcc_area": ref.in_kcc_area,
            },
        )
    for ref in reference.GROUPS:
        group, _ = ComparisonGroup.objects.update_or_create(
            slug=ref.slug, defaults={"name": ref.name, "description": ref.description, "built_in": True}
        )
        group.districts.set([districts[code] for code in ref.district_codes])

    categories = {}
    all_refs = (*reference.CATEGORIES, *reference.POLICEUK_CATEGORIES)
    for order, ref in enumerate(all_refs, start=1):
        categories[ref.slug], _ = Category.objects.update_or_create(
            slug=ref.slug,
            defaults={
                "name": ref.name,
                "short_name": ref.short_name,
                "family": ref.family,
                "unit": ref.unit,
                "rate_base": ref.rate_base,
                "polarity": ref.polarity,
                "adds_to_parent": ref.adds_to_parent,
                "suppress_below": ref.suppress_below,
                "source": ref.source,
                "definition": ref.definition,
                "entry": ref.entry,
                "grain": ref.grain,
                "display_order": order * 10,
            },
        )
    for ref in all_refs:
        category = categories[ref.slug]
        category.parent = categories[ref.parent] if ref.parent else None
        category.proportion_of = categories[ref.proportion_of] if ref.proportion_of else None
        category.save(update_fields=["parent", "proportion_of"])

    # Start each database at a random generation so a cache shared with an
    # earlier database (a rebuilt one, or tests) can never serve its entries.
    DataGeneration.objects.get_or_create(pk=1, defaults={"number": secrets.randbits(48)})


class Migration(migrations.Migration):
    dependencies = [("crimedata", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
