"""The open-data API's answers: one category compared across a group, and one district's summary.

The API contract is what partners and our acceptance checks rely on, so the
keys here are exactly those it lists: counts are integers or null, change %
and rates unrounded numbers or null, rows in rank order with unranked rows
last. ``format=csv`` returns the same data as CSV. Every bad parameter is a
400 with a JSON error naming the parameter and what is allowed. Anonymous
callers get final figures only.

Small-number suppression (assessments.comparison.suppression) applies here
exactly as on the pages. For a category with a suppression threshold (health
data such as alcohol-specific hospital admissions) every row, and the total,
also carry SUPPRESSION_KEYS, so a script can always tell a hidden count (null
with ``"suppressed": true`` and ``"count_display": "<5"``) from a missing one
(null with ``"suppressed": false``). Categories without a threshold keep
exactly the contract's keys.

The builders return an ``Answer`` (a JSON payload, or CSV rows, and a status);
``assessments.views.api`` sends it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from assessments.comparison.context import comparison_context
from assessments.comparison.suppression import PublishedComparison, published_for, published_row
from assessments.selection import (
    API_FORMATS,
    Audience,
    ParamError,
    check_district_in_group,
    default_group_for,
    parse_choice,
    parse_selection,
)
from crimedata.numbers import is_missing
from crimedata.periods import Window, format_month
from crimedata.roles import sees_true_small_numbers

ROW_KEYS = ("count", "previous_count", "change", "change_pct", "rate", "previous_rate", "population_year", "rank",
            "rank_label", "direction", "status")
INTEGER_KEYS = {"count", "previous_count", "change", "population_year", "rank"}
# Added to every row (and the total) of a category with small-number suppression, and only then.
SUPPRESSION_KEYS = ("suppressed", "count_display", "previous_count_display", "suppressed_in_public")
SUMMARY_KEYS = ("count", "previous_count", "change", "change_pct", "rate", "previous_rate", "base", "rank",
                "rank_label", "direction", "status")


@dataclass
class Answer:
    """What an API request gets: a JSON ``payload``, or ``csv_rows`` to send as ``filename``.csv."""

    payload: dict | None = None
    status: int = 200
    csv_rows: list[list] | None = None
    filename: str = ""


def suppression_fields(record: dict, *, hide: bool) -> dict:
    """The suppression markers of one row or total.

    - suppressed: True when this response withholds the row's count or last
      year's count, and so everything built from it (rate, change, rank...);
    - count_display / previous_count_display: what the pages print in place of
      a withheld count: "<5" (a count from 1 to 4) or "*" (hidden so that a
      small count cannot be worked out from the total); null when published;
    - suppressed_in_public: True when the public does not see the row's counts
      (for county analysts, who get the true values, this is the only marker).
    """
    in_public = bool(record.get("count_suppressed") or record.get("previous_count_suppressed"))
    return {
        "suppressed": hide and in_public,
        "count_display": record.get("count_display") if hide else None,
        "previous_count_display": record.get("previous_count_display") if hide else None,
        "suppressed_in_public": in_public,
    }


def _clean(value, *, integer: bool = False):
    if is_missing(value):
        return None
    if integer:
        return int(value)
    if isinstance(value, str):
        return value
    number = float(value)
    return None if math.isnan(number) else number


def _period(window: Window) -> dict:
    return {"start": format_month(window.start), "end": format_month(window.end)}


def bad_request(errors: list[ParamError]) -> Answer:
    first = errors[0]
    return Answer({
        "error": first.message,
        "parameter": first.parameter,
        "allowed": first.allowed,
        "errors": [e.as_json() for e in errors],
    }, status=400)


def not_found(parameter: str, message: str, allowed) -> Answer:
    return Answer({"error": message, "parameter": parameter, "allowed": allowed,
                   "errors": [{"parameter": parameter, "message": message, "allowed": allowed}]}, status=404)


def _csv_flag(value):
    # true/false as JSON spells them, so both formats read the same.
    return ("true" if value else "false") if isinstance(value, bool) else value


# --- One category across a group ------------------------------------------------------------------


def comparison_answer(aud: Audience, params) -> Answer:
    """/api/v1/comparison/: ``category``, ``end`` (required), ``months``, ``group``, ``rank_by``, ``base``."""
    selection, errors = parse_selection(params, aud.ref, aud.months, require_end=True,
                                        accept=("category", "rank_by", "base"))
    fmt = parse_choice(params, "format", API_FORMATS, errors, "json")
    if errors:
        return bad_request(errors)
    ctx = comparison_context(selection.window, selection.group.slug, include_provisional=aud.include_provisional,
                             ref=aud.ref, generation=aud.generation)
    published = published_for(ctx, selection.category.slug, aud.disclosure, rank_by=selection.rank_by,
                              base=selection.base)
    payload = comparison_payload(published)
    if fmt == "csv":
        result = published.comparison
        return Answer(csv_rows=comparison_csv_rows(payload), filename="-".join(
            [result.category.slug, result.group.slug, format_month(selection.end), f"{selection.months}m"]))
    return Answer(payload)


def comparison_payload(published: PublishedComparison) -> dict:
    """The comparison endpoint's JSON from a published comparison (suppressed for the caller)."""
    result = published.comparison
    marked = result.category.suppress_below is not None
    hide = not sees_true_small_numbers(published.audience)
    rows = []
    for record in published.records:
        row = {"district": {"code": record["district"], "name": record["name"]}}
        for key in ROW_KEYS:
            row[key] = _clean(record.get(key), integer=key in INTEGER_KEYS)
        if marked:
            row.update(suppression_fields(record, hide=hide))
        rows.append(row)
    total = published.total
    total_json = {key: _clean(total.get(key), integer=key in INTEGER_KEYS)
                  for key in ("count", "previous_count", "change", "change_pct", "rate")}
    if marked:
        total_json.update(suppression_fields(total, hide=hide))
    names = {name: code for code, name in zip(result.rows["district"], result.rows["name"])}
    if total.get("missing"):
        total_json["missing"] = [{"code": names.get(n), "name": n} for n in total["missing"]]
    if total.get("missing_previous"):
        total_json["missing_previous"] = [{"code": names.get(n), "name": n} for n in total["missing_previous"]]
    return {
        "category": {"slug": result.category.slug, "name": result.category.name},
        "group": {"slug": result.group.slug, "name": result.group.name},
        "period": _period(result.window),
        "previous_period": _period(result.previous_window),
        "rank_by": result.rank_by,
        "base": result.base,
        "rows": rows,
        "total": total_json,
    }


def comparison_csv_rows(payload: dict) -> list[list]:
    marked = [k for k in SUPPRESSION_KEYS if payload["rows"] and k in payload["rows"][0]]
    header = ["category", "group", "period_start", "period_end", "previous_period_start", "previous_period_end",
              "rank_by", "base", "district_code", "district_name", *ROW_KEYS, *marked]
    common = [payload["category"]["slug"], payload["group"]["slug"], payload["period"]["start"],
              payload["period"]["end"], payload["previous_period"]["start"], payload["previous_period"]["end"],
              payload["rank_by"], payload["base"]]
    out = [header]
    for row in payload["rows"]:
        out.append(common + [row["district"]["code"], row["district"]["name"], *(row[k] for k in ROW_KEYS),
                             *(_csv_flag(row[k]) for k in marked)])
    total = payload["total"]
    missing = "; ".join(m["name"] for m in total.get("missing", []))
    label = f"Total: {payload['group']['name']}" + (f" (no data: {missing})" if missing else "")
    out.append(common + ["", label, total["count"], total["previous_count"], total["change"], total["change_pct"],
                         total["rate"], None, None, None, None, None, None, *(_csv_flag(total.get(k)) for k in marked)])
    return out


# --- One district, every category ----------------------------------------------------------------


def district_summary_answer(aud: Audience, code: str, params) -> Answer:
    """/api/v1/districts/<code>/summary/: every category for one district, positions by rate."""
    district = aud.ref.district(code.upper())
    if district is None:
        return not_found("district", f"There is no district with the ONS code {code!r}",
                         [d.code for d in aud.ref.districts])
    selection, errors = parse_selection(params, aud.ref, aud.months, require_end=True,
                                        default_group=default_group_for(district))
    fmt = parse_choice(params, "format", API_FORMATS, errors, "json")
    check_district_in_group(selection, district, aud.ref, errors)
    if errors:
        return bad_request(errors)
    ctx = comparison_context(selection.window, selection.group.slug, include_provisional=aud.include_provisional,
                             ref=aud.ref, generation=aud.generation)
    rows = {r["category"]: r for r in ctx.table().district_rows(district.code).astype(object).to_dict("records")}
    hide = not sees_true_small_numbers(aud.disclosure)
    categories = []
    for category in aud.ref.in_tree_order():
        record = rows.get(category.slug)
        if record is None:
            continue
        marked = category.suppress_below is not None
        if marked:
            # As the category's comparison shows it: hidden counts, and positions among the published rows.
            record = published_row(record, published_for(ctx, category.slug, aud.disclosure), district.code)
        entry = {"category": {"slug": category.slug, "name": category.name}}
        for key in SUMMARY_KEYS:
            source = {"rank": "rank_rate", "rank_label": "rank_label_rate"}.get(key, key)
            entry[key] = _clean(record.get(source), integer=key in INTEGER_KEYS or key == "base")
        if marked:
            entry.update(suppression_fields(record, hide=hide))
        categories.append(entry)
    payload = {
        "district": {"code": district.code, "name": district.name},
        "group": {"slug": selection.group.slug, "name": selection.group.name},
        "period": _period(selection.window),
        "previous_period": _period(selection.window.previous_year()),
        "rank_by": "rate",
        "categories": categories,
    }
    if fmt == "csv":
        return Answer(csv_rows=_summary_csv_rows(payload), filename="-".join(
            [district.code, "summary", selection.group.slug, format_month(selection.end), f"{selection.months}m"]))
    return Answer(payload)


def _summary_csv_rows(payload: dict) -> list[list]:
    categories = payload["categories"]
    header = ["district_code", "district_name", "group", "period_start", "period_end", "previous_period_start",
              "previous_period_end", "category", "category_name", *SUMMARY_KEYS]
    common = [payload["district"]["code"], payload["district"]["name"], payload["group"]["slug"],
              payload["period"]["start"], payload["period"]["end"], payload["previous_period"]["start"],
              payload["previous_period"]["end"]]
    # The markers' columns are there when any category has a threshold; empty for those without one.
    marked = list(SUPPRESSION_KEYS) if any("suppressed" in c for c in categories) else []
    header += marked
    return [header] + [
        common + [c["category"]["slug"], c["category"]["name"], *(c[k] for k in SUMMARY_KEYS),
                  *(_csv_flag(c.get(k)) for k in marked)]
        for c in categories
    ]

