"""Small-number suppression in what is really published: pages, downloads and the API (methods.md §4).

The brute-force test generates tables of small counts for a suppressible
category (alcohol-specific hospital admissions, threshold 5), renders the
comparison page, its CSV and XLSX downloads, the Kent overview and the
comparison API (JSON and CSV), reads back only what each of them shows, and
then tries every whole-number value for every hidden cell that fits what is
shown: a "<5" cell is 1 to 4, a "*" cell 0 or at least 5 (a reader knows it is
not a small count), and the published totals must add up. Every hidden cell
must still have at least two possible values, and nothing built from a hidden
count (rate, change, interval, position, comparison with Kent) may be shown.
"""

from __future__ import annotations

import csv
import html as html_lib
import io
import json
import random
import re

import pytest
from openpyxl import load_workbook

from crimedata import reference
from crimedata.models import Category, District, Figure, Population
from crimedata.services import bump_data_generation
from tests.conftest import ASHFORD, MAIDSTONE, TUNBRIDGE_WELLS

pytestmark = pytest.mark.django_db

SLUG = "alcohol-hospital-admissions"
KCC = sorted(d.code for d in reference.DISTRICTS if d.in_kcc_area)
NAMES = {d.code: d.name for d in reference.DISTRICTS}
QUARTERS = ["2015-01", "2015-04", "2015-07", "2015-10", "2016-01", "2016-04", "2016-07", "2016-10"]
END = "2016-12"
PAGE = f"/compare/{SLUG}/?end={END}&months=12"
API = f"/api/v1/comparison/?category={SLUG}&end={END}"


def store(quarterly: dict[str, list[int]]) -> None:
    """Quarterly figures for each district (8 quarters from January 2015) and populations."""
    import datetime as dt

    from crimedata.periods import month_end, parse_month

    Figure.objects.filter(category__slug=SLUG).delete()
    category = Category.objects.get(slug=SLUG)
    districts = {d.code: d for d in District.objects.all()}
    rows = []
    for code, values in quarterly.items():
        for first, value in zip(QUARTERS, values):
            start = parse_month(first)
            rows.append(Figure(district=districts[code], category=category,
                               period_start=dt.date(start // 12, start % 12 + 1, 1), period_end=month_end(start + 2),
                               value=value, status=Figure.STATUS_FINAL, source=Figure.SOURCE_COMMAND))
    Figure.objects.bulk_create(rows)
    if not Population.objects.exists():
        Population.objects.bulk_create(
            Population(district=districts[code], year=year, population=100_000 + 7_000 * i, source="Test")
            for i, code in enumerate(KCC) for year in (2015, 2016)
        )
    bump_data_generation()


def small_tables(seed: int) -> dict[str, list[int]]:
    rng = random.Random(seed)
    out = {}
    for code in KCC:
        # Mostly small: a 12-month total of 0 to about 14, so many districts fall under 5.
        out[code] = [rng.choice([0, 0, 0, 1, 1, 2, 3, 4]) for _ in QUARTERS]
    return out


def totals(quarterly: dict[str, list[int]]) -> dict[str, tuple[int, int]]:
    """(this year, the year before) for each district: 2016 and 2015."""
    return {code: (sum(values[4:]), sum(values[:4])) for code, values in quarterly.items()}


# --- Reading what is published ----------------------------------------------------------------------------


def cell_text(fragment: str) -> str:
    fragment = re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", fragment, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split()


def text_of(fragment: str) -> str:
    return " ".join(cell_text(fragment))


def html_table(page: str, table_id: str) -> tuple[list[str], list[list[str]], list[str]]:
    """(headers, body rows, footer row) of the table inside id=table_id, as the reader sees the text."""
    section = page.split(f'id="{table_id}"', 1)[1]
    table = section.split("</table>", 1)[0]
    head = table.split("</thead>", 1)[0]
    headers = [text_of(h) for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", head, re.S)]
    body = table.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    rows = [[text_of(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]
    footer = []
    if "<tfoot>" in table:
        foot = table.split("<tfoot>", 1)[1]
        footer = [text_of(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", foot, re.S)]
    return headers, rows, footer


def column(headers: list[str], starts: str) -> int:
    return next(i for i, h in enumerate(headers) if h.startswith(starts))


def parse_count(text) -> int | str | None:
    """A published count: an int, "<5" or "*" (hidden), or None (no data)."""
    if text is None or text == "":
        return None
    text = str(text).replace(" P", "").replace(",", "").strip()
    if text in ("no data",):
        return None
    if text.startswith("<") or text == "*":
        return text.split()[0]
    return int(float(text))


# --- The brute force ----------------------------------------------------------------------------------------


def possible_values(cells: list, total, threshold: int = 5) -> list[set[int]]:
    """For each hidden cell ("<5" or "*") the values it can take, given the published cells and total.

    ``cells`` are the published counts of one column (int, "<5", "*" or None for no data); ``total`` the
    published group total (int) or None when it is hidden. A hidden total constrains nothing.
    """
    hidden = [i for i, c in enumerate(cells) if isinstance(c, str)]
    known = sum(c for c in cells if isinstance(c, int))
    limit = (total - known) if isinstance(total, int) else 60  # no published total: anything is possible

    def domain(i):
        if cells[i].startswith("<"):
            return range(1, threshold)
        return [0, *range(threshold, max(limit, threshold) + 1)]

    found = [set() for _ in hidden]

    def walk(position: int, chosen: list[int], remaining: int) -> None:
        if position == len(hidden):
            if not isinstance(total, int) or remaining == 0:
                for slot, value in enumerate(chosen):
                    found[slot].add(value)
            return
        for value in domain(hidden[position]):
            if isinstance(total, int) and value > remaining:
                break
            walk(position + 1, chosen + [value], remaining - value if isinstance(total, int) else remaining)

    walk(0, [], limit)
    return found


def assert_unrecoverable(cells: list, total, truth: list[int], where: str) -> int:
    """Every hidden cell has two or more possible values, and the true value is one of them."""
    hidden = [i for i, c in enumerate(cells) if isinstance(c, str)]
    options = possible_values(cells, total)
    for slot, i in enumerate(hidden):
        assert truth[i] in options[slot], f"{where}: row {i} shows {cells[i]} but is {truth[i]}"
        assert len(options[slot]) >= 2, f"{where}: row {i} ({cells[i]}) can be worked out as {options[slot]}"
    for i, cell in enumerate(cells):
        if isinstance(cell, int):
            assert cell == truth[i], f"{where}: row {i} shows {cell}, not {truth[i]}"
            assert not 1 <= cell <= 4, f"{where}: a small count {cell} is published"
    return len(hidden)


# --- The outputs, read back -----------------------------------------------------------------------------------


def from_page(client) -> dict:
    page = client.get(PAGE).content.decode()
    headers, rows, footer = html_table(page, "comparison-table")
    name_at, now_at, before_at = 0, column(headers, "Number, Jan 2016"), column(headers, "Number, Jan 2015")
    derived = [column(headers, h) for h in ("Change", "Change %", "Rate per", "95% confidence", "Compared with")]
    out = {"names": [], "now": [], "before": [], "derived_hidden": True}
    for row in rows:
        out["names"].append(row[name_at].replace(" (highlighted)", ""))
        now, before = parse_count(row[now_at]), parse_count(row[before_at])
        out["now"].append(now)
        out["before"].append(before)
        if isinstance(now, str) or isinstance(before, str):
            for i in derived:
                if i == column(headers, "Rate per") or i == column(headers, "95% confidence") or i == column(
                        headers, "Compared with"):
                    if not isinstance(now, str):
                        continue
                assert row[i] == "not published", (row[0], headers[i], row[i])
            if isinstance(now, str):
                assert row[column(headers, "County position")] == "not published", row
            if isinstance(before, str):
                assert row[column(headers, "Rate per 10,000, Jan 2015")] == "not published", row
                assert row[column(headers, "Position a year earlier")] == "not published", row
    out["total_now"], out["total_before"] = parse_count(footer[now_at]), parse_count(footer[before_at])
    figure = json.loads(re.search(r'<script id="comparison-chart-data" type="application/json">(.*?)</script>',
                                  page, re.S).group(1))
    shown = {}
    for trace in figure["data"]:
        for name, x, plus in zip(trace["y"], trace["x"], trace["error_x"]["array"]):
            shown[name.replace(" (highlighted)", "")] = (x, plus)
    for name, now in zip(out["names"], out["now"]):
        if isinstance(now, str):
            assert shown[name] == (None, None), f"the chart draws {name}'s hidden rate"
    out["page"] = page
    return out


def from_download(client, fmt: str) -> dict:
    response = client.get(PAGE + f"&_export={fmt}")
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]
    headers = [str(h) for h in rows[0]]
    now_at, before_at = column(headers, "Number, Jan 2016"), column(headers, "Number, Jan 2015")
    body = [r for r in rows[1:-1] if r and r[0] and not str(r[0]).startswith(("Counts", "Kent"))]
    footer = next(r for r in rows if r and str(r[0]).startswith("Kent"))
    from_both = [column(headers, h) for h in ("Change", "Change %", "Change p-value", "Change significance")]
    from_now = [column(headers, h) for h in ("Rate per", "Rate, lower", "Rate, upper")]
    for row in body:
        now, before = parse_count(row[now_at]), parse_count(row[before_at])
        for i in (from_both if isinstance(now, str) or isinstance(before, str) else []) + (
                from_now if isinstance(now, str) else []):
            assert row[i] == "not published", (row[0], headers[i], row[i])
    return {
        "names": [str(r[0]) for r in body],
        "now": [parse_count(r[now_at]) for r in body],
        "before": [parse_count(r[before_at]) for r in body],
        "total_now": parse_count(footer[now_at]),
        "total_before": parse_count(footer[before_at]),
    }


def from_api(client) -> dict:
    data = client.get(API).json()
    out = {"names": [], "now": [], "before": []}
    for row in data["rows"]:
        assert set(row) >= {"suppressed", "count_display", "previous_count_display"}
        out["names"].append(row["district"]["name"])
        now = row["count_display"] if row["count_display"] else row["count"]
        before = row["previous_count_display"] if row["previous_count_display"] else row["previous_count"]
        out["now"].append(now)
        out["before"].append(before)
        if row["suppressed"]:
            assert row["count"] is None or row["previous_count"] is None
            for key in ("change", "change_pct", "direction"):
                assert row[key] is None, (row, key)
            if row["count"] is None:
                for key in ("rate", "rank", "rank_label"):
                    assert row[key] is None, (row, key)
            if row["previous_count"] is None:
                assert row["previous_rate"] is None
        else:
            assert row["count_display"] is None and row["previous_count_display"] is None
    total = data["total"]
    out["total_now"] = total["count_display"] or total["count"]
    out["total_before"] = total["previous_count_display"] or total["previous_count"]
    return out


def from_api_csv(client) -> dict:
    rows = list(csv.DictReader(io.StringIO(client.get(API + "&format=csv").content.decode("utf-8-sig"))))
    body, footer = rows[:-1], rows[-1]

    def value(row, key):
        return row[f"{key}_display"] or (int(row[key]) if row[key] else None)

    return {
        "names": [r["district_name"] for r in body],
        "now": [value(r, "count") for r in body],
        "before": [value(r, "previous_count") for r in body],
        "total_now": value({"count": footer["count"], "count_display": footer["count_display"]}, "count"),
        "total_before": value({"previous_count": footer["previous_count"],
                               "previous_count_display": footer["previous_count_display"]}, "previous_count"),
    }


def from_overview(client) -> dict:
    page = client.get(f"/overview/?end={END}&view=count&show=all").content.decode()
    headers, rows, footer = html_table(page, "overview-table")
    at = headers.index("Alcohol-specific hospital admissions")
    return {
        "names": [r[0] for r in rows],
        "now": [parse_count(r[at]) for r in rows],
        "total_now": parse_count(footer[at]),
    }


def check(published: dict, truth: dict[str, tuple[int, int]], where: str, columns=("now", "before")) -> int:
    names = published["names"]
    by_name = {NAMES[code]: values for code, values in truth.items()}
    hidden = 0
    for position, key in enumerate(columns):
        cells = published[key]
        true_values = [by_name[name][position] for name in names]
        total = published[f"total_{key}"]
        true_total = sum(true_values)
        if isinstance(total, int):
            assert total == true_total, f"{where}: the total {total} is not {true_total}"
        hidden += assert_unrecoverable(cells, total, true_values, f"{where} ({key})")
    return hidden


@pytest.mark.parametrize("seed", range(20))
def test_no_hidden_count_can_be_worked_out_from_any_published_output(client, seed):
    quarterly = small_tables(seed)
    store(quarterly)
    truth = totals(quarterly)
    hidden = 0
    for where, read in (("page", from_page), ("CSV download", lambda c: from_download(c, "csv")),
                        ("XLSX download", lambda c: from_download(c, "xlsx")), ("API", from_api),
                        ("API CSV", from_api_csv)):
        hidden += check(read(client), truth, where)
    hidden += check(from_overview(client), truth, "overview", columns=("now",))
    assert hidden > 0, "the generated table had no small numbers to hide"


def test_the_page_shows_small_counts_as_fewer_than_five_and_explains(client):
    quarterly = {code: [5] * 8 for code in KCC}
    quarterly[ASHFORD] = [1, 0, 1, 0, 0, 1, 1, 1]  # 3 this year, 2 the year before
    store(quarterly)
    page = client.get(PAGE).content.decode()
    headers, rows, footer = html_table(page, "comparison-table")
    ashford = next(r for r in rows if r[0] == "Ashford")
    assert ashford[column(headers, "Number, Jan 2016")] == "<5"
    assert "fewer than 5: small numbers are not published" in page
    assert "Small numbers:" in page and "are shown as \u201c&lt;5\u201d" in page
    # One more count is hidden so that Kent's total does not give Ashford's away.
    assert sum(1 for r in rows if r[column(headers, "Number, Jan 2016")] == "*") >= 1


def test_analysts_see_true_values_marked_suppressed_in_public(client, analyst, partner):
    quarterly = {code: [5] * 8 for code in KCC}
    quarterly[ASHFORD] = [1, 0, 1, 0, 0, 1, 1, 1]
    store(quarterly)
    client.force_login(partner)
    assert "app-suppressed-mark" not in client.get(PAGE).content.decode()
    partner_api = client.get(API).json()
    ashford = next(r for r in partner_api["rows"] if r["district"]["code"] == ASHFORD)
    assert ashford["count"] is None and ashford["count_display"] == "<5" and ashford["suppressed"] is True
    client.force_login(analyst)
    page = client.get(PAGE).content.decode()
    headers, rows, _ = html_table(page, "comparison-table")
    row = next(r for r in rows if r[0] == "Ashford")
    assert row[column(headers, "Number, Jan 2016")] == "3 suppressed in public"
    api = client.get(API).json()
    ashford = next(r for r in api["rows"] if r["district"]["code"] == ASHFORD)
    assert ashford["count"] == 3 and ashford["suppressed"] is False and ashford["suppressed_in_public"] is True
    download = client.get(PAGE + "&_export=csv").content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(download)))
    assert "Suppressed in public" in header
    assert any(line.startswith("Ashford,3,") and line.rstrip().endswith("yes") for line in download.splitlines())


def test_the_api_marker_tells_suppressed_from_missing(client):
    quarterly = {code: [5] * 8 for code in KCC if code != MAIDSTONE}
    quarterly[ASHFORD] = [1, 0, 1, 0, 0, 1, 1, 1]
    store(quarterly)  # Maidstone has no figures at all: missing, not suppressed
    rows = {r["district"]["code"]: r for r in client.get(API).json()["rows"]}
    assert rows[MAIDSTONE]["count"] is None and rows[MAIDSTONE]["suppressed"] is False
    assert rows[MAIDSTONE]["count_display"] is None
    assert rows[ASHFORD]["count"] is None and rows[ASHFORD]["suppressed"] is True
    assert rows[ASHFORD]["count_display"] == "<5"
    # Police crime keeps exactly the contract's keys.
    crime = client.get(f"/api/v1/comparison/?category=all-crime&end={END}").json()
    assert "suppressed" not in crime["total"]


def test_district_summary_and_profile_hide_the_small_count(client):
    quarterly = {code: [5] * 8 for code in KCC}
    quarterly[TUNBRIDGE_WELLS] = [1, 0, 1, 0, 0, 1, 1, 1]
    store(quarterly)
    summary = client.get(f"/api/v1/districts/{TUNBRIDGE_WELLS}/summary/?end={END}").json()
    entry = next(c for c in summary["categories"] if c["category"]["slug"] == SLUG)
    assert entry["count"] is None and entry["count_display"] == "<5" and entry["suppressed"] is True
    assert entry["rate"] is None and entry["rank"] is None and entry["change"] is None
    crime = next(c for c in summary["categories"] if c["category"]["slug"] == "all-crime")
    assert "suppressed" not in crime
    page = client.get(f"/districts/{TUNBRIDGE_WELLS}/?end={END}").content.decode()
    headers, rows, _ = html_table(page, "types-table" if 'id="types-table"' in page else "crime-types")
    row = next(r for r in rows if r[0] == "Alcohol-specific hospital admissions")
    assert row[1] == "<5" and row[3] == "not published"
    download = client.get(f"/districts/{TUNBRIDGE_WELLS}/?end={END}&_export=csv&_table=crime-types")
    text = download.content.decode("utf-8-sig")
    assert "Alcohol-specific hospital admissions,<5," in text
    assert "Alcohol-specific hospital admissions,4," not in text
