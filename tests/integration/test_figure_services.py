"""The single write path for figures: overlap, lock, stale-edit checks, history and cache invalidation."""

import datetime as dt

import pytest

from crimedata.models import Category, District, Figure, SignOff
from crimedata.selectors import data_generation, figures_frame
from crimedata.services import FigureInput, FigureSaveError, save_figures
from tests.conftest import MAIDSTONE, add_figure

pytestmark = pytest.mark.django_db


def inputs(value=6, *, start=dt.date(2016, 10, 1), end=dt.date(2016, 10, 31), **extra):
    district = District.objects.get(code=MAIDSTONE)
    category = Category.objects.get(slug="robbery")
    return FigureInput(district.id, category.id, start, end, value, **extra)


def test_a_new_figure_is_created_with_history_and_bumps_the_generation(officer):
    before = data_generation()
    result = save_figures([inputs()], user=officer, source=Figure.SOURCE_GRID, reason="Q3 entry")
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    figure = Figure.objects.get()
    assert (figure.value, figure.version, figure.entered_by, figure.source) == (6, 1, officer, "grid")
    record = figure.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == ("+", officer, "Q3 entry")
    assert data_generation() == before + 1


def test_an_unchanged_figure_writes_nothing_and_keeps_the_generation(officer):
    save_figures([inputs()], user=officer, source=Figure.SOURCE_GRID)
    before = data_generation()
    result = save_figures([inputs()], user=officer, source=Figure.SOURCE_GRID)
    assert result.unchanged == 1 and Figure.history.count() == 1 and data_generation() == before


def test_an_update_keeps_old_and_new_in_history_and_bumps_the_version(officer):
    save_figures([inputs(6)], user=officer, source=Figure.SOURCE_GRID)
    result = save_figures([inputs(9, note="Late crimes added")], user=officer, source=Figure.SOURCE_GRID)
    assert result.changes[0].old_value == 6 and result.changes[0].new_value == 9
    figure = Figure.objects.get()
    assert (figure.value, figure.version, figure.note) == (9, 2, "Late crimes added")
    assert list(figure.history.order_by("history_date", "history_id").values_list("value", "history_type")) == [
        (6, "+"), (9, "~")
    ]


def test_a_stale_edit_is_refused_whole_and_names_the_current_value(officer, other_officer):
    save_figures([inputs(6)], user=officer, source=Figure.SOURCE_GRID)
    save_figures([inputs(7, expected_version=1)], user=officer, source=Figure.SOURCE_GRID)  # now version 2
    other_month = inputs(3, start=dt.date(2016, 11, 1), end=dt.date(2016, 11, 30), expected_version=0)
    with pytest.raises(FigureSaveError) as refused:
        save_figures([inputs(8, expected_version=1), other_month], user=officer, source=Figure.SOURCE_GRID)
    problem = refused.value.result.problems[0]
    assert (problem.kind, problem.current_value, problem.current_version) == ("conflict", 7, 2)
    # Nothing at all was written, not even the unrelated cell.
    assert Figure.objects.count() == 1 and Figure.objects.get().value == 7


def test_a_figure_created_by_someone_else_meanwhile_is_a_conflict(officer):
    save_figures([inputs(6)], user=officer, source=Figure.SOURCE_GRID)
    with pytest.raises(FigureSaveError) as refused:
        save_figures([inputs(9, expected_version=0)], user=officer, source=Figure.SOURCE_GRID)
    assert refused.value.result.problems[0].kind == "conflict"


def test_overlapping_shapes_are_refused():
    add_figure(MAIDSTONE, "robbery", "2016-10", "2016-12", value=20)
    with pytest.raises(FigureSaveError) as refused:
        save_figures([inputs(6)], source=Figure.SOURCE_COMMAND)
    assert refused.value.result.problems[0].kind == "overlap"
    assert "October 2016 to December 2016" in refused.value.result.problems[0].message


def test_a_signed_off_period_needs_an_administrator_and_a_reason(administrator):
    save_figures([inputs(6)], source=Figure.SOURCE_COMMAND)
    SignOff.objects.create(district=District.objects.get(code=MAIDSTONE), period_start=dt.date(2016, 10, 1),
                           period_end=dt.date(2016, 12, 31))
    with pytest.raises(FigureSaveError) as refused:
        save_figures([inputs(9)], source=Figure.SOURCE_GRID)
    assert refused.value.result.problems[0].kind == "locked"
    save_figures([inputs(9)], user=administrator, source=Figure.SOURCE_ADMIN, allow_locked=True,
                 reason="Police corrected a crime recorded twice")
    latest = Figure.objects.get().history.latest("history_date")
    assert (latest.value, latest.history_change_reason) == (9, "Police corrected a crime recorded twice")


def test_dry_run_classifies_without_writing():
    result = save_figures([inputs(6)], source=Figure.SOURCE_UPLOAD, dry_run=True)
    assert result.created == 1 and Figure.objects.count() == 0


def test_public_figures_frame_leaves_provisional_figures_out(ref):
    add_figure(MAIDSTONE, "robbery", "2016-10", value=6, status=Figure.STATUS_FINAL)
    add_figure(MAIDSTONE, "robbery", "2016-11", value=4, status=Figure.STATUS_PROVISIONAL)
    assert len(figures_frame(ref)) == 2
    public = figures_frame(ref, include_provisional=False)
    assert public["value"].tolist() == [6] and not public["provisional"].any()


def test_figures_frame_is_one_query(ref, django_assert_num_queries):
    for month in range(1, 13):
        add_figure(MAIDSTONE, "robbery", f"2016-{month:02d}", value=month)
    with django_assert_num_queries(1):
        frame = figures_frame(ref, categories=["robbery"], first_month=2016 * 12, last_month=2016 * 12 + 11)
    assert frame["value"].sum() == 78


def test_reference_snapshot_is_three_queries_and_keeps_empty_groups(django_assert_num_queries):
    from crimedata.models import ComparisonGroup
    from crimedata.selectors import _load_reference

    ComparisonGroup.objects.create(slug="new-group", name="A group with no districts yet")
    with django_assert_num_queries(3):
        ref = _load_reference()
    assert ref.group("new-group").district_codes == ()
    assert len(ref.group("kent").district_codes) == 12 and len(ref.group("kent-and-medway").district_codes) == 13
    assert [g.slug for g in ref.groups][:1] != ["new-group"]  # built-in groups first
