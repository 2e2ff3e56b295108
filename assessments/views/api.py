"""The open-data API: one category compared across a group, and one district's summary.

The contract (issue 3, "Open data: the API contract") is what partners and our
acceptance checks rely on, so the keys here are exactly those it lists:
counts are integers or null, change % and rates unrounded numbers or null,
rows in rank order with unranked rows last. ``format=csv`` returns the same
data as CSV. Every bad parameter is a 400 with a JSON error naming the
parameter and what is allowed. Anonymous callers get final figures only.

Small-number suppression (assessments.disclosure) applies here exactly as on
the pages. For a category with a suppression threshold (health data such as
alcohol-specific hospital admissions) every row, and the total, also carry
SUPPRESSION_KEYS, so a script can always tell a hidden count (null with
``"suppressed": true`` and ``"count_display": "<5"``) from a missing one
(null with ``"suppressed": false``). Categories without a threshold keep
exactly the contract's keys.
"""

from __future__ import annotations

import math

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from assessments import exports
from assessments.comparison import comparison_context
from assessments.disclosure import PublishedComparison
from assessments.pickers import API_FORMATS, FALLBACK_GROUP, ParamError, parse_choice, parse_selection
from assessments.statistics.rounding import is_missing
from assessments.views.common import audience
from crimedata.periods import Window, format_month

ROW_KEYS = ("count", "previous_count", "change", "change_pct", "rate", "previous_rate", "population_year", "rank",
            "rank_label", "direction", "status")
INTEGER_KEYS = {"count", "previous_count", "change", "population_year", "rank"}
# Added to every row (and the total) of a category with small-number suppression, and only then.
SUPPRESSION_KEYS = ("suppressed", "count_display", "previous_count_display", "suppressed_in_public")


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


def bad_request(errors: list[ParamError]) -> JsonResponse:
    first = errors[0]
    return JsonResponse(
        {
            "error": first.message,
            "parameter": first.parameter,
            "allowed": first.allowed,
            "errors": [e.as_json() for e in errors],
        },
        status=400,
    )


def _not_found(parameter: str, message: str, allowed) -> JsonResponse:
    return JsonResponse({"error": message, "parameter": parameter, "allowed": allowed,
                         "errors": [{"parameter": parameter, "message": message, "allowed": allowed}]}, status=404)


def comparison_payload(published: PublishedComparison) -> dict:
    """The comparison endpoint's JSON from a published comparison (suppressed for the caller)."""
    result = published.comparison
    marked = result.category.suppress_below is not None
    hide = published.audience != "analyst"
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


def _csv_flag(value):
    # true/false as JSON spells them, so both formats read the same.
    return ("true" if value else "false") if isinstance(value, bool) else value


def _csv(rows: list[list], filename: str) -> HttpResponse:
    response = HttpResponse(exports.csv_bytes(rows), content_type=exports.CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


@require_GET
def comparison_api(request: HttpRequest) -> HttpResponse:
    aud = audience(request)
    selection, errors = parse_selection(request.GET, aud.ref, aud.months, require_end=True,
                                        accept=("category", "rank_by", "base"))
    fmt = parse_choice(request.GET, "format", API_FORMATS, errors, "json")
    if errors:
        return bad_request(errors)
    ctx = comparison_context(selection.window, selection.group.slug, include_provisional=aud.include_provisional,
                             ref=aud.ref, generation=aud.generation)
    published = ctx.published(selection.category.slug, aud.disclosure, rank_by=selection.rank_by, base=selection.base)
    result = published.comparison
    payload = comparison_payload(published)
    if fmt == "csv":
        return _csv(comparison_csv_rows(payload), "-".join(
            [result.category.slug, result.group.slug, format_month(selection.end), f"{selection.months}m"]))
    return JsonResponse(payload)


SUMMARY_KEYS = ("count", "previous_count", "change", "change_pct", "rate", "previous_rate", "base", "rank",
                "rank_label", "direction", "status")


@require_GET
def district_summary_api(request: HttpRequest, code: str) -> HttpResponse:
    aud = audience(request)
    district = aud.ref.district(code.upper())
    if district is None:
        return _not_found("district", f"There is no district with the ONS code {code!r}",
                          [d.code for d in aud.ref.districts])
    default_group = "kent" if district.in_kcc_area else FALLBACK_GROUP
    selection, errors = parse_selection(request.GET, aud.ref, aud.months, require_end=True,
                                        default_group=default_group)
    fmt = parse_choice(request.GET, "format", API_FORMATS, errors, "json")
    if selection is not None and district.code not in selection.group.district_codes:
        allowed = [g.slug for g in aud.ref.groups if district.code in g.district_codes]
        errors.append(ParamError("group", f"group must be a group that includes {district.name}: "
                                 f"{', '.join(allowed)}", allowed, selection.group.slug))
    if errors:
        return bad_request(errors)
    ctx = comparison_context(selection.window, selection.group.slug, include_provisional=aud.include_provisional,
                             ref=aud.ref, generation=aud.generation)
    table = ctx.table()
    rows = {r["category"]: r for r in table.district_rows(district.code).astype(object).to_dict("records")}
    hide = aud.disclosure != "analyst"
    categories = []
    for category in aud.ref.in_tree_order():
        record = rows.get(category.slug)
        if record is None:
            continue
        marked = category.suppress_below is not None
        if marked:
            # As the category's comparison shows it: hidden counts, and positions among the published rows.
            mine = ctx.published(category.slug, aud.disclosure).row(district.code) or {}
            record = {**record, **{k: mine.get(k) for k in (
                "count", "previous_count", "change", "change_pct", "rate", "previous_rate", "direction",
                "count_display", "previous_count_display", "count_suppressed", "previous_count_suppressed")},
                "rank_rate": mine.get("rank"), "rank_label_rate": mine.get("rank_label")}
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
        header = ["district_code", "district_name", "group", "period_start", "period_end", "previous_period_start",
                  "previous_period_end", "category", "category_name", *SUMMARY_KEYS]
        common = [district.code, district.name, selection.group.slug, payload["period"]["start"],
                  payload["period"]["end"], payload["previous_period"]["start"], payload["previous_period"]["end"]]
        # The markers' columns are there when any category has a threshold; empty for those without one.
        marked = list(SUPPRESSION_KEYS) if any("suppressed" in c for c in categories) else []
        header += marked
        rows_out = [header] + [
            common + [c["category"]["slug"], c["category"]["name"], *(c[k] for k in SUMMARY_KEYS),
                      *(_csv_flag(c.get(k)) for k in marked)]
            for c in categories
        ]
        return _csv(rows_out, "-".join([district.code, "summary", selection.group.slug, format_month(selection.end),
                                        f"{selection.months}m"]))
    return JsonResponse(payload)


def api_docs(request: HttpRequest) -> HttpResponse:
    """The API documentation page, with working example links for the latest month this visitor can see."""
    aud = audience(request)
    end = format_month(aud.months.last) if not aud.months.empty else None
    comparison = reverse("api-comparison")
    summary = reverse("api-district-summary", args=["E07000116"])
    examples = []
    if end:
        examples = [
            ("All recorded crime in the 12 Kent districts, 12 months to the latest month",
             f"{comparison}?category=all-crime&end={end}"),
            ("The same as CSV", f"{comparison}?category=all-crime&end={end}&format=csv"),
            ("Anti-social behaviour in the 13 Kent and Medway areas, ranked by change",
             f"{comparison}?category=asb-incidents&end={end}&group=kent-and-medway&rank_by=change_pct"),
            ("Violent crime for the latest quarter, per 10,000 residents",
             f"{comparison}?category=violent-crime&end={end}&months=3&base=10000"),
            ("Every category for Tunbridge Wells", f"{summary}?end={end}"),
            ("Every category for Tunbridge Wells, as CSV", f"{summary}?end={end}&format=csv"),
            ("A bad parameter (months=13) returns HTTP 400", f"{comparison}?category=all-crime&end={end}&months=13"),
        ]
    return render(
        request,
        "assessments/api_docs.html",
        {
            "page_title": "Open data API",
            "examples": examples,
            "end": end,
            "first_end": format_month(aud.months.first_end(12)) if not aud.months.empty else None,
            "categories": aud.ref.in_tree_order(),
            "groups": aud.ref.groups,
            "districts": aud.ref.districts,
            "include_provisional": aud.include_provisional,
        },
    )
