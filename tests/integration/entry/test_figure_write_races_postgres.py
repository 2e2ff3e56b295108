"""Writes racing in real concurrent transactions on PostgreSQL: overlapping uploads, and a grid
save against a sign-off of the same quarter. Each must end with one consistent outcome.

The first writer does its work inside a transaction and holds it open (0.5 s)
while the second runs, as two people confirming at the same moment would;
then it commits. Before the database made these impossible, both writes were
stored: a quarter and a month overlapping (the comparison then showed the
quarter as missing), and provisional figures inside a signed-off quarter.

PostgreSQL only: SQLite runs one write at a time, so the transactions can never interleave there.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from crimedata.entry import CellInput, GridSaveRefused, save_grid
from crimedata.importers.figures import import_figures
from crimedata.models import District, Figure, SignOff
from crimedata.selectors import reference_data
from crimedata.services import FigureInput, FigureSaveError, save_figures
from crimedata.signoff import sign_off_period
from tests.conftest import MAIDSTONE, make_user
from tests.integration.entry_support import csv_bytes, current_grid, recent_quarter

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: SQLite serialises all writes, so two transactions cannot race",
    ),
]

HOLD = 0.5
OVERLAP = ("overlaps a stored figure for July 2025 to September 2025; figures for the same district and category "
           "must cover the same months or none in common")


def race(first: Callable[[], object], second: Callable[[], object]) -> tuple[dict[str, object], float]:
    """Run ``first`` in a transaction held open while ``second`` runs; return each outcome (or exception)."""
    first_done, second_started = threading.Event(), threading.Event()
    outcomes: dict[str, object] = {}

    def run_first():
        try:
            with transaction.atomic():
                outcomes["first"] = first()
                first_done.set()
                second_started.wait(10)
                time.sleep(HOLD)
        except Exception as exc:  # reported by the assertions
            outcomes["first"] = exc
        finally:
            first_done.set()
            connection.close()

    def run_second():
        try:
            first_done.wait(10)
            second_started.set()
            outcomes["second"] = second()
        except Exception as exc:
            outcomes["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes, time.monotonic() - started


def _upload(tmp_path, name: str, row: str, user):
    path = tmp_path / name
    path.write_bytes(csv_bytes([row]))
    return lambda: import_figures(path, name, reference_data(), user=user, source=Figure.SOURCE_UPLOAD)


def test_two_uploads_confirmed_at_once_never_store_overlapping_figures(tmp_path):
    analyst = make_user("race.analyst", None)
    administrator = make_user("race.administrator", None)
    quarter = _upload(tmp_path, "quarter.csv", "Maidstone,robbery,2025-07-01,2025-09-30,30,final,", analyst)
    month = _upload(tmp_path, "month.csv", "Maidstone,robbery,2025-07-01,2025-07-31,10,final,", administrator)

    outcomes, elapsed = race(quarter, month)

    assert outcomes["first"].ok, outcomes["first"].validation.errors
    refused = outcomes["second"]
    assert not refused.ok and [str(e) for e in refused.validation.errors] == [f"Row 2: {OVERLAP}"]
    # The second waited for the first (the quarter's lock) rather than checking a stale picture.
    assert elapsed >= HOLD
    stored = Figure.objects.filter(district__code=MAIDSTONE, category__slug="robbery")
    assert [(f.period_start.isoformat(), f.period_end.isoformat(), f.value) for f in stored] == [
        ("2025-07-01", "2025-09-30", 30)]
    assert Figure.history.count() == 1


def _july_bypassing_services():
    """A writer that bypasses crimedata.services (and so its lock) storing July 2025."""
    maidstone = District.objects.get(code=MAIDSTONE)
    robbery = reference_data().category("robbery")
    july = dict(district_id=maidstone.id, category_id=robbery.id, period_start=timezone.datetime(2025, 7, 1).date(),
                period_end=timezone.datetime(2025, 7, 31).date())
    return july, lambda: Figure.objects.create(value=10, status=Figure.STATUS_FINAL, source=Figure.SOURCE_COMMAND,
                                               **july)


JULY_OVERLAP = ("overlaps a stored figure for July 2025; figures for the same district and category must cover the "
                "same months or none in common")


def test_the_database_refuses_an_overlap_written_without_the_lock_in_the_checks_own_words():
    # July is stored, bypassing the lock, while a save of the quarter is under way: only the
    # exclusion constraint can stop the overlap. It surfaces as the same refusal the check gives,
    # never a server error.
    july, bypassing_services = _july_bypassing_services()
    maidstone_id, robbery_id = july["district_id"], july["category_id"]

    def quarter_through_services():
        return save_figures([FigureInput(district_id=maidstone_id, category_id=robbery_id,
                                         period_start=july["period_start"],
                                         period_end=timezone.datetime(2025, 9, 30).date(), value=30)],
                            source=Figure.SOURCE_UPLOAD)

    outcomes, _ = race(bypassing_services, quarter_through_services)

    assert isinstance(outcomes["first"], Figure)
    refused = outcomes["second"]
    assert isinstance(refused, FigureSaveError), refused
    assert [(p.kind, p.message) for p in refused.result.problems] == [("overlap", JULY_OVERLAP)]
    assert list(Figure.objects.values_list("period_end", "value")) == [(july["period_end"], 10)]


def test_an_upload_the_database_refuses_is_reported_row_by_row_like_any_overlap(tmp_path):
    # The same, through the upload's confirm (the import inside its own transaction).
    july, bypassing_services = _july_bypassing_services()
    quarter = _upload(tmp_path, "quarter.csv", "Maidstone,robbery,2025-07-01,2025-09-30,30,final,",
                      make_user("race.analyst", None))

    outcomes, _ = race(bypassing_services, quarter)

    refused = outcomes["second"]
    assert not isinstance(refused, Exception), refused
    assert not refused.ok and [str(e) for e in refused.validation.errors] == [f"Row 2: {JULY_OVERLAP}"]
    assert list(Figure.objects.values_list("period_end", "value")) == [(july["period_end"], 10)]
    # Only July's own history row: nothing of the refused quarter was kept.
    assert list(Figure.history.values_list("value", flat=True)) == [10]


def _grid_save(officer, count: int = 12):
    quarter = recent_quarter()
    grid = current_grid(quarter=quarter)
    cells = [cell for cell in grid.cells if cell.editable][:count]
    assert len(cells) == count
    return lambda: save_grid(grid, [CellInput(cell.key, 5, 0, "") for cell in cells], user=officer)


def _sign_off(analyst):
    quarter = recent_quarter()
    district = reference_data().district(MAIDSTONE)
    return lambda: sign_off_period(user=analyst, districts=[district], window=quarter.window, label=quarter.label,
                                   today=timezone.localdate())


def _provisional_in_signed_off_quarters() -> int:
    total = 0
    for sign_off in SignOff.objects.all():
        total += Figure.objects.filter(
            district_id=sign_off.district_id, status=Figure.STATUS_PROVISIONAL,
            period_start__lte=sign_off.period_end, period_end__gte=sign_off.period_start,
        ).count()
    return total


def test_a_sign_off_during_a_grid_save_finalises_the_saved_figures():
    officer = make_user("race.officer", None)
    analyst = make_user("race.signoff", None)

    outcomes, elapsed = race(_grid_save(officer), _sign_off(analyst))

    assert len(outcomes["first"]) == 12, outcomes["first"]
    signed = outcomes["second"]
    assert not isinstance(signed, Exception), signed
    assert signed.finalised == 12
    assert elapsed >= HOLD
    assert SignOff.objects.count() == 1
    assert _provisional_in_signed_off_quarters() == 0
    assert Figure.objects.filter(status=Figure.STATUS_FINAL).count() == 12


def test_a_grid_save_during_a_sign_off_is_refused_as_locked():
    officer = make_user("race.officer", None)
    analyst = make_user("race.signoff", None)

    outcomes, elapsed = race(_sign_off(analyst), _grid_save(officer))

    assert not isinstance(outcomes["first"], Exception), outcomes["first"]
    refused = outcomes["second"]
    assert isinstance(refused, GridSaveRefused), refused
    assert {c.kind for c in refused.conflicts} == {"locked"} and len(refused.conflicts) == 12
    assert elapsed >= HOLD
    assert SignOff.objects.count() == 1
    assert Figure.objects.count() == 0 and _provisional_in_signed_off_quarters() == 0
