# Overlapping figures refused by the database itself (PostgreSQL), not only by the check in
# crimedata.services: two transactions each checking before the other commits could otherwise
# both store overlapping periods for one district and category. SQLite runs one write at a
# time, so there the Python check is enough and this migration does nothing.

from django.db import migrations

CONSTRAINT = "figures_never_overlap"


def _overlaps(cursor, table, districts, categories):
    cursor.execute(f"""
        SELECT d.name, c.slug, a.period_start, a.period_end, b.period_start, b.period_end
        FROM {table} a
        JOIN {table} b ON a.district_id = b.district_id AND a.category_id = b.category_id AND a.id < b.id
             AND a.period_start <= b.period_end AND b.period_start <= a.period_end
        JOIN {districts} d ON d.id = a.district_id
        JOIN {categories} c ON c.id = a.category_id
        ORDER BY d.name, c.slug, a.period_start
        LIMIT 20
    """)
    return cursor.fetchall()


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table, districts, categories = (schema_editor.quote_name(apps.get_model("crimedata", name)._meta.db_table)
                                    for name in ("Figure", "District", "Category"))
    with schema_editor.connection.cursor() as cursor:
        found = _overlaps(cursor, table, districts, categories)
        if found:
            listed = "\n".join(f"  {d} {c}: {s1}..{e1} and {s2}..{e2}" for d, c, s1, e1, s2, e2 in found)
            raise RuntimeError(
                "Overlapping figures are stored (at most 20 listed below); the database cannot refuse new ones "
                "until they are resolved. Remove or correct one of each pair (an administrator can, and the "
                f"figure's history keeps it), then migrate again:\n{listed}"
            )
        # btree_gist lets one GiST index compare the district and category (=) with the period (&&).
        # It is a trusted extension: the database's owner can create it without being a superuser.
        cursor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        cursor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
            "(district_id WITH =, category_id WITH =, daterange(period_start, period_end, '[]') WITH &&)"
        )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("crimedata", "Figure")._meta.db_table)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):

    dependencies = [
        ("crimedata", "0004_entry_signoff_source"),
    ]

    operations = [
        migrations.RunPython(add_constraint, drop_constraint, elidable=False),
    ]
