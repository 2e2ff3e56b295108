"""police.uk categories work in the comparison service, roll-ups and SPC like any other category."""

import io

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command

from assessments.comparison.context import comparison_context
from assessments.statistics.spc import xmr
from crimedata import reference
from crimedata.models import District, Population
from crimedata.periods import Window, parse_month
from crimedata.selectors import figures_frame, reference_data
from tests.conftest import FIXTURES, MAIDSTONE, add_figure

POLICEUK = FIXTURES / "policeuk"
MEDWAY = "E06000035"
ASHFORD = "E07000105"

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported():
    for district in District.objects.all():
        Population.objects.create(district=district, year=2023, population=100_000, source="test")
    call_command("import_policeuk", str(POLICEUK / "police-uk-kent-2024-03-to-04.zip"), stdout=io.StringIO())


def context(start="2024-03", end="2024-04", **kwargs):
    return comparison_context(Window(parse_month(start), parse_month(end)), "kent-and-medway",
                              include_provisional=False, **kwargs)


def test_the_police_uk_total_is_derived_from_its_crime_types_excluding_asb(imported):
    comparison = context().compare(reference.POLICEUK_TOTAL, rank_by="count")
    maidstone = comparison.row(MAIDSTONE)
    # March: 2 burglary, 2 violence, 1 shoplifting, 1 theft from the person; April: 2 burglary, 2 shoplifting.
    assert maidstone["count"] == 10
    assert maidstone["rate"] == pytest.approx(10 / 100_000 * 1000)
    assert maidstone["status"] == "final"
    # A district with no records in the extract has 0, not "no data": the file covers all of Kent.
    assert comparison.row(ASHFORD)["count"] == 0
    assert comparison.total.count == 10 + 3 + 2 + 2  # Maidstone, Tunbridge Wells, Medway, Folkestone and Hythe
    assert comparison.total.missing == []
    # No figures a year earlier: missing, never a change from 0.
    assert pd.isna(maidstone["previous_count"]) and pd.isna(maidstone["change"])
    assert comparison.warnings.empty
    # Lower is better for crime: the most records is the last place of 13, the nine with none share 1st.
    assert (maidstone["rank"], comparison.row(ASHFORD)["rank_label"]) == (13, "1=")


def test_asb_is_its_own_category_and_not_in_the_total(imported):
    asb = context().compare(reference.POLICEUK_ASB, rank_by="count").row(MAIDSTONE)
    assert asb["count"] == 3  # two in March, one in April


def test_a_window_with_a_month_not_imported_is_missing_not_a_partial_sum(imported):
    comparison = context("2024-02", "2024-04").compare(reference.POLICEUK_TOTAL)
    assert comparison.row(MAIDSTONE)["count"] is None
    assert comparison.total.count is None


def test_police_uk_never_mixes_with_kent_police_recorded_crime(imported):
    add_figure(MAIDSTONE, "robbery", "2024-03", value=5)
    ctx = context()
    assert ctx.compare("all-crime").row(MAIDSTONE)["count"] is None  # recorded crime stays incomplete
    assert ctx.compare("policeuk-robbery", rank_by="count").row(MAIDSTONE)["count"] == 0
    assert ctx.compare(reference.POLICEUK_TOTAL, rank_by="count").row(MAIDSTONE)["count"] == 10


def test_monthly_series_for_spc(imported):
    from crimedata.aggregation import aggregate

    ref = reference_data()
    months = [parse_month("2024-03"), parse_month("2024-04")]
    frame = figures_frame(ref, categories=[c.slug for c in ref.family("policeuk")], districts=[MAIDSTONE])
    result = aggregate(frame, ref.tree(), [Window(m, m) for m in months], districts=[MAIDSTONE],
                       categories=[reference.POLICEUK_TOTAL])
    values = result.values.sort_values("window")["value"].tolist()
    assert values == [6, 4]
    assert set(result.values["method"]) == {"children"}
    chart = xmr(np.array(values, dtype=float), improvement_direction="decrease")
    assert chart.segments[0].mean == pytest.approx(5.0)
