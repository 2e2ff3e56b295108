"""The two writers police.uk imports add to crimedata.services: removing figures and replacing LSOA counts."""

import datetime as dt

import pytest

from crimedata.models import Category, District, Figure, LsoaFigure, SignOff
from crimedata.selectors import data_generation
from crimedata.services import FigureSaveError, LsoaCount, remove_figures, replace_lsoa_figures
from tests.conftest import MAIDSTONE, add_figure

pytestmark = pytest.mark.django_db


def test_removing_figures_keeps_one_history_row_each_with_who_and_why(analyst):
    kept = add_figure(MAIDSTONE, "policeuk-burglary", "2024-03", value=4)
    gone = [add_figure(MAIDSTONE, "policeuk-drugs", f"2024-0{m}", value=m) for m in (1, 2)]
    generation = data_generation()
    assert remove_figures([f.pk for f in gone], user=analyst, reason="not in the new extract") == 2
    assert list(Figure.objects.values_list("pk", flat=True)) == [kept.pk]
    removed = Figure.history.filter(history_type="-").order_by("period_start")
    assert [(h.id, h.value, h.history_user_id, h.history_change_reason) for h in removed] == [
        (gone[0].pk, 1, analyst.pk, "not in the new extract"), (gone[1].pk, 2, analyst.pk, "not in the new extract")
    ]
    assert Figure.history.filter(history_type="-").count() == 2  # simple-history's signal did not add its own
    assert data_generation() == generation + 1
    assert remove_figures([]) == 0


def test_removing_a_signed_off_figure_is_refused_unless_allowed():
    figure = add_figure(MAIDSTONE, "policeuk-drugs", "2024-03", value=3)
    SignOff.objects.create(district=figure.district, period_start="2024-01-01", period_end="2024-03-31")
    with pytest.raises(FigureSaveError) as raised:
        remove_figures([figure.pk])
    assert raised.value.result.problems[0].kind == "locked"
    assert Figure.objects.filter(pk=figure.pk).exists()
    assert not Figure.history.filter(history_type="-").exists()
    assert remove_figures([figure.pk], allow_locked=True, reason="administrator correction") == 1


def test_replacing_a_months_lsoa_counts_leaves_other_months_alone():
    maidstone = District.objects.get(code=MAIDSTONE)
    burglary = Category.objects.get(slug="policeuk-burglary")
    march, april = dt.date(2024, 3, 1), dt.date(2024, 4, 1)
    replace_lsoa_figures(march, [LsoaCount("E01024320", "Maidstone 003A", maidstone.id, burglary.id, 2)])
    replace_lsoa_figures(april, [LsoaCount("E01024320", "Maidstone 003A", maidstone.id, burglary.id, 5)])
    stored = replace_lsoa_figures(
        march,
        (LsoaCount(f"E0102432{i}", f"Maidstone 003{'AB'[i]}", maidstone.id, burglary.id, i + 1) for i in range(2)),
        source_detail="2024-03-kent-street.csv",
    )
    assert stored == 2
    assert sorted(LsoaFigure.objects.values_list("month", "lsoa_code", "value", "source_detail")) == [
        (march, "E01024320", 1, "2024-03-kent-street.csv"),
        (march, "E01024321", 2, "2024-03-kent-street.csv"),
        (april, "E01024320", 5, ""),
    ]
