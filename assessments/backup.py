"""The product archive: everything people entered, in one zip, and its restore into an empty database.

``manage.py backup_archive OUT.zip`` and ``manage.py restore_archive IN.zip`` (README, "Backup and
restore"). It lives in assessments because it needs both apps' models; it reads them from the app
registry, so crimedata never imports assessments and a model added to either app is archived
without anyone remembering to list it (tests/integration/test_backup_restore.py checks that every
model of the project's apps is covered).

What the archive holds
    Every table of the crimedata and assessments apps, as stored: reference data as edited
    (districts, comparison groups and their districts, categories, themes, agencies, MoRiLE
    multipliers), populations, figures, sign-offs, series notes, LSOA lookups and figures,
    import logs, the data generation, plans (assessments, priorities, actions, updates, targets,
    PCC grants, grant applications, funded outcomes and their reports, MoRiLE scores), step
    changes and commentary edits; every django-simple-history table (the figures' and plans'
    full history, including many-to-many history); and the users with their roles (Django
    groups, by name), direct permissions (by name) and district memberships, WITHOUT password
    hashes. Groups' permissions are kept by name too.

    Not in it: sessions, sign-in attempts and lock-outs (django-axes), the admin's action log,
    content types and permissions themselves (created by migrations; referred to by name).

Format (version 1)
    A zip with ``manifest.json`` and one JSON Lines file per table under ``tables/``: the first
    line is ``{"model": ..., "table": ..., "columns": [...]}`` and each further line one row, a
    JSON array in column order, in primary-key order. Dates and times are ISO 8601 (times in
    UTC, to the microsecond), decimals are strings. The manifest gives the format and version,
    when it was made, the applied migrations of the archived apps, and for each table its file,
    row count and SHA-256 of the file.

Restore
    Into an EMPTY migrated database, in one transaction, or not at all. The archive is checked
    first (format, version, every table's checksum and row count, the same migrations as this
    database, the same columns); then the database must hold nothing entered: no users and no
    rows in any archived table other than the reference data migrations install. That
    reference data is REPLACED by the archive's, because the figures, plans and history refer to
    districts, categories, themes and agencies by their ids, and the archive's rows are the ones
    people edited. Primary keys are restored as they were, so foreign keys and history line up;
    PostgreSQL sequences are reset afterwards. Roles are matched to this database's groups by
    name (created when missing). Users get unusable passwords and must set new ones. The data
    generation moves to a new random number, so no cache can serve figures computed before the
    restore.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import DataError, IntegrityError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "csp-portal-archive"
FORMAT_VERSION = 1
SUPPORTED_VERSIONS = {1}
MANIFEST = "manifest.json"

# Every model of these apps is archived, with its history and many-to-many tables.
ARCHIVED_APPS = ("crimedata", "assessments")
# Whose applied migrations must match between the archive and the database it is restored into.
SCHEMA_APPS = ("auth", "contenttypes", "crimedata", "assessments")
# What migrations install into every new database (crimedata 0002, assessments 0003): the only rows
# an "empty" database may hold in the archived tables. The archive's rows replace them.
INSTALLED_BY_MIGRATIONS = {
    "crimedata.district", "crimedata.comparisongroup", "crimedata.comparisongroup_districts",
    "crimedata.category", "crimedata.datageneration",
    "assessments.theme", "assessments.agency", "assessments.morilemultiplier",
}
# Users: every column but the password hash.
USER_EXCLUDED_COLUMNS = {"password"}
# Models of the project's apps deliberately left out (none today); the test fails on any other.
NOT_ARCHIVED: set[str] = set()


class ArchiveError(Exception):
    """The archive cannot be written or restored; the message says why, for the person running it."""


# --- values ----------------------------------------------------------------------------------


def _encode(value):
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.timezone.utc)
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decoder(field: models.Field):
    if isinstance(field, (models.DateTimeField, models.DateField, models.TimeField, models.DecimalField)):
        return lambda value: None if value is None else field.to_python(value)
    return lambda value: value


# --- which tables ----------------------------------------------------------------------------


def archived_models() -> list[type[models.Model]]:
    """Every model of the archived apps, including history models and many-to-many tables."""
    found = []
    for label in ARCHIVED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label_lower not in NOT_ARCHIVED and not model._meta.proxy and model._meta.managed:
                found.append(model)
    return found


def _columns(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.attname not in _excluded(model)]


def _excluded(model) -> set[str]:
    from django.contrib.auth import get_user_model

    return USER_EXCLUDED_COLUMNS if model is get_user_model() else set()


def _applied_migrations() -> dict[str, list[str]]:
    applied = MigrationRecorder(connection).applied_migrations()
    return {app: sorted(name for a, name in applied if a == app) for app in SCHEMA_APPS}


# --- writing ---------------------------------------------------------------------------------


@dataclass
class TableSummary:
    name: str
    rows: int
    sha256: str
    file: str


@dataclass
class ArchiveSummary:
    path: str
    created_at: str
    tables: list[TableSummary] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def _write_table(zf: zipfile.ZipFile, name: str, header: dict, rows: Iterator[list]) -> TableSummary:
    file = f"tables/{name}.jsonl"
    digest = hashlib.sha256()
    count = 0
    with zf.open(file, "w", force_zip64=True) as raw:
        def emit(obj) -> None:
            line = (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
            digest.update(line)
            raw.write(line)

        emit(header)
        for row in rows:
            emit(row)
            count += 1
    return TableSummary(name=name, rows=count, sha256=digest.hexdigest(), file=file)


def _model_rows(model, fields) -> Iterator[list]:
    names = [f.attname for f in fields]
    queryset = model._base_manager.order_by(model._meta.pk.attname).values_list(*names)
    for row in queryset.iterator(chunk_size=2000):
        yield [_encode(v) for v in row]


def _auth_tables() -> list[tuple[str, dict, Iterator[list]]]:
    """Roles and permissions by name: ids of groups, permissions and content types differ between databases."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    User = get_user_model()
    user_groups = User.groups.through.objects.order_by("user_id", "group__name").values_list("user_id", "group__name")
    user_perms = User.user_permissions.through.objects.order_by("user_id", "permission_id").values_list(
        "user_id", "permission__content_type__app_label", "permission__codename")
    group_perms = Group.permissions.through.objects.order_by("group__name", "permission_id").values_list(
        "group__name", "permission__content_type__app_label", "permission__codename")
    return [
        ("auth.group", {"columns": ["name"]}, ([name] for name in Group.objects.order_by("name")
                                              .values_list("name", flat=True))),
        ("auth.group_permissions", {"columns": ["group", "app_label", "codename"]}, (list(r) for r in group_perms)),
        ("auth.user_groups", {"columns": ["user_id", "group"]}, (list(r) for r in user_groups)),
        ("auth.user_user_permissions", {"columns": ["user_id", "app_label", "codename"]},
         (list(r) for r in user_perms)),
    ]


def write_archive(out: str | IO[bytes]) -> ArchiveSummary:
    """Write the archive of this database to ``out`` (a path or a binary file), in one read transaction."""
    from django.contrib.auth import get_user_model

    created_at = timezone.now().astimezone(dt.timezone.utc).isoformat()
    summary = ArchiveSummary(path=str(out) if isinstance(out, str) else "", created_at=created_at)
    User = get_user_model()
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            # One consistent snapshot of every table, even while people keep working.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for model in [User, *archived_models()]:
                fields = _columns(model)
                header = {"model": model._meta.label_lower, "table": model._meta.db_table,
                          "columns": [f.attname for f in fields]}
                summary.tables.append(_write_table(zf, model._meta.label_lower, header, _model_rows(model, fields)))
            for name, header, rows in _auth_tables():
                summary.tables.append(_write_table(zf, name, header, rows))
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": created_at,
                "database": connection.vendor,
                "migrations": _applied_migrations(),
                "passwords": "not included: restored users must set a new password",
                "tables": {t.name: {"file": t.file, "rows": t.rows, "sha256": t.sha256} for t in summary.tables},
            }
            zf.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    return summary


# --- reading and checking --------------------------------------------------------------------


@dataclass
class Archive:
    zf: zipfile.ZipFile
    manifest: dict

    def lines(self, name: str) -> Iterator[bytes]:
        with self.zf.open(self.manifest["tables"][name]["file"]) as raw:
            yield from raw

    def header(self, name: str) -> dict:
        return json.loads(next(iter(self.lines(name))))

    def rows(self, name: str) -> Iterator[list]:
        lines = self.lines(name)
        next(lines)
        for line in lines:
            yield json.loads(line)


def open_archive(path: str | IO[bytes]) -> Archive:
    """Open and verify an archive: format, version and every table's checksum and row count."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(f"This is not a CSP Portal archive (not a readable zip file: {error}).") from error
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except KeyError as error:
        raise ArchiveError("This is not a CSP Portal archive: it has no manifest.json.") from error
    except ValueError as error:
        raise ArchiveError(f"The archive's manifest.json is not valid JSON ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"This is not a CSP Portal archive (its manifest does not say format {FORMAT!r}).")
    version = manifest.get("format_version")
    if version not in SUPPORTED_VERSIONS:
        raise ArchiveError(
            f"The archive is in format version {version!r}, which this version of CSP Portal cannot read "
            f"(it reads version {', '.join(map(str, sorted(SUPPORTED_VERSIONS)))}). Restore it with the version "
            "of CSP Portal that made it."
        )
    archive = Archive(zf, manifest)
    names = set(zf.namelist())
    for name, entry in manifest.get("tables", {}).items():
        if entry.get("file") not in names:
            raise ArchiveError(f"The archive is incomplete: {entry.get('file')} ({name}) is missing.")
        digest, count = hashlib.sha256(), -1
        for line in archive.lines(name):
            digest.update(line)
            count += 1
        if digest.hexdigest() != entry.get("sha256"):
            raise ArchiveError(
                f"The archive is damaged: the checksum of {entry['file']} ({name}) does not match its manifest. "
                "Nothing was restored. Use another copy of the archive."
            )
        if count != entry.get("rows"):
            raise ArchiveError(f"The archive is damaged: {entry['file']} has {count} rows, its manifest says "
                               f"{entry.get('rows')}. Nothing was restored.")
    return archive


def _check_schema(archive: Archive) -> None:
    from django.contrib.auth import get_user_model

    mine = _applied_migrations()
    theirs = archive.manifest.get("migrations", {})
    for app in SCHEMA_APPS:
        if sorted(theirs.get(app, [])) != mine[app]:
            missing = sorted(set(theirs.get(app, [])) - set(mine[app]))
            extra = sorted(set(mine[app]) - set(theirs.get(app, [])))
            raise ArchiveError(
                f"The archive was made with a different set of '{app}' migrations "
                f"(in the archive only: {', '.join(missing) or 'none'}; in this database only: "
                f"{', '.join(extra) or 'none'}). Restore into a database migrated to the archive's migrations "
                f"(manage.py migrate {app} <its latest>), then run manage.py migrate."
            )
    expected = {m._meta.label_lower: m for m in [get_user_model(), *archived_models()]}
    tables = archive.manifest.get("tables", {})
    missing = sorted(set(expected) - set(tables))
    if missing:
        raise ArchiveError(f"The archive has no data for {', '.join(missing)}; it cannot be restored here.")
    unknown = sorted(set(tables) - set(expected) - {name for name, _, _ in _auth_tables()})
    if unknown:
        raise ArchiveError(f"The archive holds tables this version does not know: {', '.join(unknown)}.")
    for label, model in expected.items():
        columns = archive.header(label).get("columns")
        if columns != [f.attname for f in _columns(model)]:
            raise ArchiveError(f"The archive's columns for {label} differ from this database's; it was made by "
                               "another version of CSP Portal.")


def entered_data() -> list[str]:
    """What this database holds beyond what migrations install (empty: safe to restore into)."""
    from django.contrib.auth import get_user_model

    found = []
    users = get_user_model().objects.count()
    if users:
        found.append(f"{users} user(s)")
    for model in archived_models():
        if model._meta.label_lower in INSTALLED_BY_MIGRATIONS:
            continue
        count = model._base_manager.count()
        if count:
            found.append(f"{count} row(s) in {model._meta.label_lower}")
    return found


# --- restoring -------------------------------------------------------------------------------


@dataclass
class RestoreSummary:
    tables: dict[str, int] = field(default_factory=dict)
    users: int = 0
    created_groups: list[str] = field(default_factory=list)
    unknown_permissions: list[str] = field(default_factory=list)


def _insert(model, fields, rows: Iterator[list]) -> int:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = max(1, min(500, (connection.features.max_query_params or 65535) // len(fields)))
    decoders = [_decoder(f) for f in fields]
    count = 0
    batch: list = []
    with connection.cursor() as cursor:
        def flush() -> None:
            if batch:
                rows_in_batch = len(batch) // len(fields)
                cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholder] * rows_in_batch)}",
                               batch)
                batch.clear()

        for row in rows:
            for f, decode, value in zip(fields, decoders, row):
                batch.append(f.get_db_prep_save(decode(value), connection))
            count += 1
            if count % per_statement == 0:
                flush()
        flush()
    return count


def restore_archive(path: str | IO[bytes]) -> RestoreSummary:
    """Restore an archive into this (empty, migrated) database, in one transaction; raises ArchiveError."""
    archive = open_archive(path)
    _check_schema(archive)
    found = entered_data()
    if found:
        raise ArchiveError(
            "This database already holds entered data (" + "; ".join(found[:8]) + ("; ..." if len(found) > 8 else "")
            + "). An archive is restored only into an empty database: create a new database, run "
            "manage.py migrate, and restore into that. Nothing was restored."
        )
    try:
        return _restore(archive)
    except (IntegrityError, DataError) as error:
        raise ArchiveError(
            f"The archive's rows do not fit together in this database ({str(error).strip().splitlines()[0]}). "
            "Nothing was restored."
        ) from error


def _restore(archive: Archive) -> RestoreSummary:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    User = get_user_model()
    summary = RestoreSummary()
    models_in_order = [User, *archived_models()]
    with transaction.atomic():
        with connection.constraint_checks_disabled():
            with connection.cursor() as cursor:
                # Only reference data installed by migrations is here (checked above); the archive's replaces it.
                for model in reversed(models_in_order):
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            for model in models_in_order:
                label = model._meta.label_lower
                fields = _columns(model)
                rows = archive.rows(label)
                if model is User:
                    fields = [*fields, model._meta.get_field("password")]
                    rows = ([*row, make_password(None)] for row in rows)
                summary.tables[label] = _insert(model, fields, rows)
            summary.users = summary.tables[User._meta.label_lower]

            groups = {g.name: g for g in Group.objects.all()}
            for (name,) in archive.rows("auth.group"):
                if name not in groups:
                    groups[name] = Group.objects.create(name=name)
                    summary.created_groups.append(name)
            permissions = {(app, code): pk for pk, app, code in
                           Permission.objects.values_list("pk", "content_type__app_label", "codename")}

            def permission(app: str, codename: str) -> int | None:
                pk = permissions.get((app, codename))
                if pk is None:
                    summary.unknown_permissions.append(f"{app}.{codename}")
                return pk

            archived_groups = {name for (name,) in archive.rows("auth.group")}
            summary.tables["auth.group"] = len(archived_groups)
            Group.permissions.through.objects.filter(group__name__in=archived_groups).delete()
            summary.tables["auth.group_permissions"] = len(Group.permissions.through.objects.bulk_create(
                Group.permissions.through(group_id=groups[g].pk, permission_id=pk)
                for g, app, code in archive.rows("auth.group_permissions") if (pk := permission(app, code))
            ))
            summary.tables["auth.user_groups"] = len(User.groups.through.objects.bulk_create(
                User.groups.through(user_id=user_id, group_id=groups[g].pk)
                for user_id, g in archive.rows("auth.user_groups")
            ))
            summary.tables["auth.user_user_permissions"] = len(User.user_permissions.through.objects.bulk_create(
                User.user_permissions.through(user_id=user_id, permission_id=pk)
                for user_id, app, code in archive.rows("auth.user_user_permissions") if (pk := permission(app, code))
            ))
            connection.check_constraints(table_names=[m._meta.db_table for m in models_in_order])

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models_in_order):
                cursor.execute(sql)
        DataGeneration = apps.get_model("crimedata", "DataGeneration")
        DataGeneration.objects.update_or_create(pk=1, defaults={"number": secrets.randbits(48)})
    return summary
