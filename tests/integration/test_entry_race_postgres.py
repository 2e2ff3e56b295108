"""Two grid saves racing in real concurrent transactions: exactly one wins, the other is refused.

PostgreSQL only: SQLite serialises every write to the whole database, so the
two transactions can never interleave there and the race cannot happen.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction

from crimedata.entry import CellInput, GridSaveRefused, save_grid
from crimedata.models import Figure
from tests.conftest import MAIDSTONE, add_figure, make_user
from tests.integration.entry_support import current_grid, stored

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: SQLite serialises all writes, so two transactions cannot race",
    ),
]

KEY = "asb-incidents-2016-04"


def _race(first_value: int, second_value: int, version: int):
    """Both people opened the same grid (``version`` of the cell). The first saves and holds its
    transaction open while the second saves; the first then commits."""
    grid = current_grid()
    first_user = make_user("first.officer", None)
    second_user = make_user("second.officer", None)
    first_saved, second_started = threading.Event(), threading.Event()
    outcomes: dict[str, object] = {}

    def first():
        try:
            with transaction.atomic():
                outcomes["first"] = save_grid(grid, [CellInput(KEY, first_value, version, "")], user=first_user)
                first_saved.set()
                second_started.wait(5)
                # Keep the row locked (or the new row uncommitted) while the second save runs.
                time.sleep(0.5)
        except Exception as exc:  # pragma: no cover - reported by the assertions
            outcomes["first"] = exc
            first_saved.set()
        finally:
            connection.close()

    def second():
        try:
            first_saved.wait(5)
            second_started.set()
            outcomes["second"] = save_grid(grid, [CellInput(KEY, second_value, version, "")], user=second_user)
        except Exception as exc:
            outcomes["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    return outcomes, time.monotonic() - started


def test_racing_changes_to_one_figure_never_overwrite_each_other():
    add_figure(MAIDSTONE, "asb-incidents", "2016-04", value=120)
    outcomes, elapsed = _race(125, 130, version=1)
    assert [c.new_value for c in outcomes["first"]] == [125]
    refused = outcomes["second"]
    assert isinstance(refused, GridSaveRefused), refused
    assert [(c.kind, c.current, c.typed) for c in refused.conflicts] == [("conflict", 125, 130)]
    # The second save really waited for the first (its row lock), rather than reading a stale copy.
    assert elapsed >= 0.5
    figure = stored(MAIDSTONE, "asb-incidents", "2016-04")
    assert (figure.value, figure.version) == (125, 2)
    assert list(figure.history.values_list("value", flat=True)) == [125, 120]


def test_racing_first_entries_of_one_figure_never_overwrite_each_other():
    # Neither person saw a figure (version 0); the second insert meets the first's uncommitted row.
    outcomes, _ = _race(70, 77, version=0)
    assert [c.new_value for c in outcomes["first"]] == [70]
    refused = outcomes["second"]
    assert isinstance(refused, GridSaveRefused), refused
    assert [(c.kind, c.current, c.typed) for c in refused.conflicts] == [("conflict", 70, 77)]
    assert Figure.objects.filter(category__slug="asb-incidents").count() == 1
    assert stored(MAIDSTONE, "asb-incidents", "2016-04").value == 70
    assert Figure.history.count() == 1
