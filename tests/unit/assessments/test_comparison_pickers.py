"""The window, group and other choices: defaults, every error message, quick links (no database)."""

import pytest
from django.http import QueryDict

from assessments.selection import (
    DataMonths,
    check_export,
    end_choices,
    parse_selection,
    period_links,
    with_highlight_in_group,
)
from crimedata.periods import parse_month
from tests.comparison_data import reference_snapshot

REF = reference_snapshot()
DATA = DataMonths(parse_month("2012-04"), parse_month("2024-03"))
ALL = ("rank_by", "base", "highlight", "view", "show", "trend", "category", "district")


def parse(query: str, data=DATA, **kwargs):
    return parse_selection(QueryDict(query), REF, data, **kwargs)


def test_defaults_are_the_12_months_to_the_latest_month_in_kent():
    selection, errors = parse("", accept=("rank_by", "highlight"))
    assert errors == []
    assert selection.window.span_label == "April 2023 to March 2024"
    assert selection.window.label == "Financial year 2023/24"
    assert selection.group.slug == "kent" and selection.rank_by == "rate" and selection.highlight is None


def test_a_quarter_and_a_query_string_that_keeps_the_window_and_group():
    selection, errors = parse("end=2016-09&months=3&group=west-kent")
    assert errors == []
    assert selection.window.label.startswith("Q2 2016/17")
    assert selection.query(highlight="E07000116") == "?end=2016-09&months=3&group=west-kent&highlight=E07000116"


@pytest.mark.parametrize(
    "query, parameter, fragment",
    [
        ("end=2016-13", "end", "with a month from 01 to 12"),
        ("end=October", "end", "written as YYYY-MM"),
        ("end=2024-04", "end", "must not be after 2024-03"),
        ("end=2013-02", "end", "must not be before 2013-03"),
        ("months=0", "months", "from 1 to 12"),
        ("months=13", "months", "from 1 to 12"),
        ("months=twelve", "months", "from 1 to 12"),
        ("group=surrey", "group", "kent-and-medway"),
        ("rank_by=volume", "rank_by", "rate, count, change_pct"),
        ("base=0", "base", "from 1 to 1,000,000"),
        ("base=-5", "base", "from 1 to 1,000,000"),
        ("base=1.5", "base", "from 1 to 1,000,000"),
        ("highlight=E99999999", "highlight", "ONS code of a district"),
        ("view=table", "view", "rate, count"),
        ("show=some", "show", "main, all"),
        ("trend=nope", "trend", "category slug"),
        ("category=nope", "category", "category slug"),
        ("district=Kent", "district", "ONS code"),
    ],
)
def test_every_bad_parameter_is_named_with_what_is_allowed(query, parameter, fragment):
    selection, errors = parse(query + "&category=all-crime" if "category" not in query else query, accept=ALL)
    assert [e.parameter for e in errors] == [parameter]
    assert fragment in errors[0].message and errors[0].message.startswith(parameter)
    assert errors[0].allowed
    assert selection is not None  # the page can still draw its form with defaults


def test_end_is_required_where_asked_and_says_which_months_exist():
    _, errors = parse("", require_end=True)
    assert errors[0].parameter == "end"
    assert errors[0].message == "end is required: a month from 2013-03 to 2024-03, written as YYYY-MM"


def test_a_missing_category_is_named():
    _, errors = parse("end=2016-09", accept=("category",))
    assert errors[0].parameter == "category" and "required" in errors[0].message


def test_the_earliest_end_depends_on_the_length():
    _, errors = parse("end=2012-06&months=3")
    assert errors == []


def test_no_data_at_all_gives_no_selection():
    selection, errors = parse("", data=DataMonths(None, None))
    assert selection is None and errors == []
    _, errors = parse("end=2016-09", data=DataMonths(None, None))
    assert errors[0].parameter == "end" and "no figures yet" in errors[0].message


def test_a_highlight_outside_the_group_is_dropped_with_a_notice():
    selection, errors = parse("group=kent&highlight=E06000035", accept=("highlight",))
    assert errors == []
    selection = with_highlight_in_group(selection)
    assert selection.highlight is None
    assert selection.notices == ("Medway is not in Kent (12 KCC districts), so it is not highlighted.",)


def test_codes_and_slugs_are_read_case_insensitively():
    selection, errors = parse("group=KENT&highlight=e07000116", accept=("highlight",))
    assert errors == [] and selection.highlight.name == "Tunbridge Wells"


def test_export_parameters():
    errors = []
    assert check_export(QueryDict("_export=csv"), errors, ("a", "b")) == ("csv", "a")
    assert check_export(QueryDict("_export=xlsx&_table=b"), errors, ("a", "b")) == ("xlsx", "b")
    assert errors == []
    check_export(QueryDict("_export=pdf"), errors, ("a",))
    check_export(QueryDict("_export=csv&_table=c"), errors, ("a",))
    assert [e.parameter for e in errors] == ["_export", "_table"]


def test_quick_links_offer_whole_financial_and_calendar_years_and_quarters():
    links = period_links(DATA)
    assert [p.label for p in links["financial"]][:2] == ["Financial year 2023/24", "Financial year 2022/23"]
    assert links["calendar"][0].label == "Calendar year 2023"
    assert links["quarters"][0].label.startswith("Q4 2023/24") and links["quarters"][0].months == 3
    assert all(p.end <= DATA.last for group in links.values() for p in group)


def test_end_choices_run_newest_first_from_the_latest_month():
    choices = end_choices(DATA, 12)
    assert choices[0] == ("2024-03", "March 2024") and choices[-1] == ("2013-03", "March 2013")
