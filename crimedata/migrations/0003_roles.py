"""Create the five roles as Django groups (see crimedata.roles).

What each role may do is decided in crimedata.roles; admin-site permissions
are granted so that county analysts can manage reference data in the admin.
"""

from django.db import migrations

ROLES = ["Community safety officer", "County analyst", "Administrator", "Partner", "Scrutiny member"]
ANALYST_MODELS = ["district", "comparisongroup", "population", "category", "seriesnote", "lsoalookup"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    # Permissions only exist after post_migrate on a fresh database; create the
    # content types and permissions we need so the grant works in one pass.
    analyst = Group.objects.get(name="County analyst")
    for model in ANALYST_MODELS:
        ct, _ = ContentType.objects.get_or_create(app_label="crimedata", model=model)
        for action in ("add", "change", "delete", "view"):
            perm, _ = Permission.objects.get_or_create(
                content_type=ct, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"}
            )
            analyst.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [("crimedata", "0002_reference_data"), ("auth", "0012_alter_user_first_name_max_length"),
                    ("contenttypes", "0002_remove_content_type_name")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
