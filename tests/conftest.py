"""Shared fixtures: reference data, people in each role, and figure factories."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache

from crimedata import roles
from crimedata.models import DistrictMembership, Figure
from crimedata.periods import month_end, parse_month

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED_DATA = ROOT.parent / "shared" / "data"

MAIDSTONE = "E07000110"
TUNBRIDGE_WELLS = "E07000116"
ASHFORD = "E07000105"


def _reinstall_reference_data() -> None:
    """Put back what migrations install (districts, groups, categories, roles, plan themes and agencies)."""
    import importlib

    from django.apps import apps

    importlib.import_module("crimedata.migrations.0002_reference_data").install(apps, None)
    importlib.import_module("crimedata.migrations.0003_roles").create_roles(apps, None)
    importlib.import_module("assessments.migrations.0003_plans_reference_data").install(apps, None)


@pytest.fixture(autouse=True)
def _reference_data(request):
    # A transactional test (live server, benchmarks) ends by flushing every
    # table, wiping the reference data that migrations installed for the
    # tests that follow. Re-install it when it is missing.
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("live_server", "transactional_db")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        from crimedata.models import District

        if not District.objects.exists():
            _reinstall_reference_data()
    yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The test database rolls back between tests but the local-memory cache
    # would not; a stale comparison would make tests depend on their order.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ref(db):
    from crimedata.selectors import reference_data

    return reference_data()


def make_user(username: str, role: str | None, district_codes=()) -> User:
    from crimedata.models import District

    user = User.objects.create_user(username=username, password="correct-horse-battery-staple")
    if role:
        user.groups.add(Group.objects.get(name=role))
    for code in district_codes:
        DistrictMembership.objects.create(user=user, district=District.objects.get(code=code))
    return user


@pytest.fixture
def officer(db):
    """A Maidstone community safety officer."""
    return make_user("maidstone.officer", roles.OFFICER, [MAIDSTONE])


@pytest.fixture
def other_officer(db):
    """A Tunbridge Wells officer: must not change Maidstone's figures."""
    return make_user("tw.officer", roles.OFFICER, [TUNBRIDGE_WELLS])


@pytest.fixture
def analyst(db):
    return make_user("county.analyst", roles.ANALYST)


@pytest.fixture
def administrator(db):
    return make_user("site.admin", roles.ADMINISTRATOR)


@pytest.fixture
def partner(db):
    return make_user("police.partner", roles.PARTNER)


@pytest.fixture
def scrutiny(db):
    return make_user("councillor", roles.SCRUTINY)


def add_figure(district_code, category_slug, start, end=None, value=0, status=Figure.STATUS_FINAL, **extra):
    """Store one figure directly (test set-up only; product code writes through services)."""
    from crimedata.models import Category, District

    first = parse_month(start)
    last = parse_month(end or start)
    return Figure.objects.create(
        district=District.objects.get(code=district_code),
        category=Category.objects.get(slug=category_slug),
        period_start=dt.date(first // 12, first % 12 + 1, 1),
        period_end=month_end(last),
        value=value,
        status=status,
        source=Figure.SOURCE_COMMAND,
        **extra,
    )


_HANDMADE_DIR: Path | None = None


def policeuk_file(relative: str) -> Path:
    """A hand-made police.uk fixture, under the download name the importer expects.

    The files are stored as ``*.handmade.csv`` so that nobody (and no check)
    can mistake them for real police.uk downloads, which are never committed;
    this copies one to a temporary folder as ``YYYY-MM-kent-street.csv``.
    """
    import shutil
    import tempfile

    global _HANDMADE_DIR
    if _HANDMADE_DIR is None:
        _HANDMADE_DIR = Path(tempfile.mkdtemp(prefix="csp-policeuk-fixtures-"))
    source = FIXTURES / "policeuk" / relative.replace("-street.csv", "-street.handmade.csv")
    target = _HANDMADE_DIR / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        shutil.copyfile(source, target)
    return target
