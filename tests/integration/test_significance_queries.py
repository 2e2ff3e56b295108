"""The statistics of a comparison page add no SQL queries: they are pure functions of the comparison."""

from __future__ import annotations

import pytest

from assessments.commentary.text import group_words, headline
from assessments.comparison.context import comparison_context
from assessments.comparison.significance import add_significance
from assessments.comparison.suppression import disclose_comparison
from crimedata.roles import PUBLIC
from crimedata.models import District, Population
from crimedata.periods import Window, parse_month
from tests.conftest import ASHFORD, MAIDSTONE, TUNBRIDGE_WELLS
from tests.integration.test_spc_pages import store_series

pytestmark = pytest.mark.django_db


def test_intervals_group_comparison_change_tests_disclosure_and_headlines_need_no_queries(
    ref, django_assert_num_queries
):
    for code, base in ((MAIDSTONE, 400), (TUNBRIDGE_WELLS, 300), (ASHFORD, 350)):
        store_series(code, "robbery", "2015-01", [base + i % 9 for i in range(24)])
        # Ashford's 12 months to December 2016 add up to 3: a small number.
        quarters = [1, 0, 0, 1, 1, 0, 1, 1] if code == ASHFORD else [20] * 8
        store_series(code, "alcohol-hospital-admissions", "2015-01", quarters, months=3)
        for year in (2015, 2016):
            Population.objects.create(district=District.objects.get(code=code), year=year, population=120_000,
                                      source="test")
    window = Window.ending(parse_month("2016-12"))
    context = comparison_context(window, "kent", include_provisional=False)
    comparisons = [context.compare(slug) for slug in ("robbery", "alcohol-hospital-admissions")]
    words = group_words("kent", "Kent")

    with django_assert_num_queries(0):
        for comparison in comparisons:
            rows = add_significance(comparison.rows, comparison.total, polarity=comparison.category.polarity,
                                    base=comparison.base)
            disclosed = disclose_comparison(comparison, PUBLIC, rows=rows)
            records = disclosed.rows.to_dict("records")
            texts = [headline(r, category=comparison.category, window_label=window.label, group=words, rows=records)
                     for r in records]

    robbery = add_significance(comparisons[0].rows, comparisons[0].total, polarity="lower")
    assert robbery["rate_lower"].notna().sum() == 3 and robbery["change_significance"].notna().sum() == 3
    admissions = disclose_comparison(comparisons[1], PUBLIC).rows.set_index("district")
    assert admissions.at[ASHFORD, "count_display"] == "<5"
    assert admissions["count_display"].notna().sum() == 2  # and one more, so the Kent total does not give it away
    assert any(t.text.startswith("Ashford recorded fewer than 5 alcohol-specific hospital admissions") for t in texts)
