"""Load an LSOA lookup: which ward and district each neighbourhood (LSOA) is in.

Accepts the shapes ONS and the shared data use, recognised by their column
headings (any case):

- LSOA code: ``LSOA11CD``, ``LSOA21CD`` (any two-digit year) or ``lsoa_code``;
- LSOA name: ``LSOA11NM``, ``LSOA21NM`` or ``lsoa_name``;
- district: ``LAD_CODE``, ``LAD23CD`` (any year) or ``lad_code``; or, failing
  that, the district's name in ``LAD23NM`` or ``lad_name``;
- ward (optional): ``WD23CD``/``WD23NM`` (any year) or ``ward_code``/``ward_name``.

Other columns (ObjectId, FID and the like) are ignored. National lookups list
every LSOA in England and Wales: rows outside Kent and Medway are counted and
skipped. Any row error means nothing is loaded. Each LSOA's row is replaced
wholly by the latest file that lists it; LSOAs a file does not list are kept.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from django.db import transaction

from crimedata.importers.tables import FileProblem, RowError, normalise_header, read_chunks
from crimedata.models import ImportLog, LsoaFigure, LsoaLookup
from crimedata.selectors import ReferenceData

ROLES = {
    "lsoa_code": re.compile(r"^(lsoa\d{2}cd|lsoa_code|lsoa_cd)$"),
    "lsoa_name": re.compile(r"^(lsoa\d{2}nm|lsoa_name|lsoa_nm)$"),
    "lad_code": re.compile(r"^(lad\d{2}cd|lad_code|lad_cd)$"),
    "lad_name": re.compile(r"^(lad\d{2}nm|lad_name|lad_nm)$"),
    "ward_code": re.compile(r"^(wd\d{2}cd|ward_code|ward_cd)$"),
    "ward_name": re.compile(r"^(wd\d{2}nm|ward_name|ward_nm)$"),
}
LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
WARD_CODE = re.compile(r"^[EW]05\d{6}$")
MAX_ERRORS_KEPT = 200


@dataclass
class LookupOutcome:
    file_name: str
    rows: int = 0
    loaded: int = 0
    new: int = 0
    outside: int = 0
    with_ward: int = 0
    has_wards: bool = False
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    unmatched_lsoas: int | None = None  # police.uk neighbourhoods not in the lookup after loading
    log: ImportLog | None = None

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def summary(self) -> str:
        if not self.ok:
            return f"{self.file_name}: {self.error_count:,} error(s); nothing was loaded."
        text = (
            f"{self.file_name}: {self.rows:,} rows: {self.loaded:,} Kent and Medway neighbourhoods (LSOAs) loaded "
            f"({self.new:,} new, {self.loaded - self.new:,} replaced), {self.outside:,} outside Kent and Medway skipped."
        )
        if self.has_wards:
            text += f" {self.with_ward:,} have a ward."
        else:
            text += " The file has no ward columns, so it gives districts only, not wards."
        if self.unmatched_lsoas:
            text += (
                f" {self.unmatched_lsoas:,} neighbourhood(s) in the imported police.uk figures are not in any "
                "loaded lookup (police.uk uses 2021 LSOA codes), so they have no ward."
            )
        return text


def _roles(path: Path) -> dict[str, str]:
    """Which heading plays which part, from the first row (normalised as read_chunks does)."""
    with open(path, "rb") as raw:
        head = raw.read(4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem("The file is saved as UTF-16 text. Save it as 'CSV UTF-8 (comma delimited)' and try again.")
    try:
        with open(path, encoding="utf-8-sig", newline="") as text:
            first = next(csv.reader(text), None)
    except UnicodeDecodeError as exc:
        raise FileProblem("The file is not UTF-8 text. Save it as 'CSV UTF-8 (comma delimited)' and try again.") from exc
    if not first:
        raise FileProblem("The file is empty. The first row must be the column headings.")
    headers = [normalise_header(h) for h in first]
    found: dict[str, str] = {}
    for role, pattern in ROLES.items():
        matches = [h for h in headers if pattern.match(h)]
        if len(matches) > 1:
            raise FileProblem(f"More than one column could be the {role.replace('_', ' ')}: {', '.join(matches)}.")
        if matches:
            found[role] = matches[0]
    missing = [r for r in ("lsoa_code", "lsoa_name") if r not in found]
    if "lad_code" not in found and "lad_name" not in found:
        missing.append("lad_code (or lad_name)")
    if missing:
        raise FileProblem(
            "The file does not look like an LSOA lookup: no column for " + ", ".join(missing) + ". Expected "
            "headings such as LSOA21CD, LSOA21NM, LAD23CD and optionally WD23CD, WD23NM (or LSOA11CD, LSOA11NM, "
            "LAD_CODE). Found: " + ", ".join(h for h in headers if h) + "."
        )
    if ("ward_code" in found) != ("ward_name" in found):
        raise FileProblem("A ward needs both its code and its name: the file has only one of the two ward columns.")
    return found


def import_lsoa_lookup(path: Path, name: str, ref: ReferenceData, *, user=None) -> LookupOutcome:
    """Validate the whole file, then load its Kent and Medway rows in one transaction, or nothing."""
    outcome = LookupOutcome(file_name=name)
    if Path(name).suffix.lower() != ".csv":
        outcome.errors.append(RowError(None, None, f"'{name}' is not a CSV (.csv) file."))
        outcome.error_count = 1
        return outcome
    by_code = {d.code.lower(): d.id for d in ref.districts}
    by_name = {}
    for d in ref.districts:
        for n in (d.name, *d.former_names):
            by_name[n.lower()] = d.id
    rows: dict[str, LsoaLookup] = {}
    first_row: dict[str, int] = {}
    try:
        roles = _roles(path)
        outcome.has_wards = "ward_code" in roles
        with open(path, encoding="utf-8-sig", newline="") as text:
            others = tuple(normalise_header(h) for h in next(csv.reader(text)) if normalise_header(h) not in roles.values())
        for chunk in read_chunks(path, name, tuple(roles.values()), others):
            outcome.rows += len(chunk)
            _check_chunk(chunk, roles, by_code, by_name, rows, first_row, outcome, name)
    except FileProblem as problem:
        _add(outcome, [problem.error])
    if not outcome.ok:
        return outcome
    with transaction.atomic():
        existing = set(LsoaLookup.objects.filter(lsoa_code__in=list(rows)).values_list("lsoa_code", flat=True))
        outcome.new = len(rows) - len(existing)
        LsoaLookup.objects.bulk_create(
            rows.values(), batch_size=1000, update_conflicts=True, unique_fields=["lsoa_code"],
            update_fields=["lsoa_name", "ward_code", "ward_name", "district", "source"],
        )
        outcome.loaded = len(rows)
        outcome.with_ward = sum(1 for r in rows.values() if r.ward_code)
        outcome.unmatched_lsoas = (
            LsoaFigure.objects.exclude(lsoa_code__in=LsoaLookup.objects.values("lsoa_code"))
            .values("lsoa_code").distinct().count()
        )
        outcome.log = ImportLog.objects.create(
            kind=ImportLog.KIND_LSOA_LOOKUP, file_name=name[:255], imported_by=user if getattr(user, "pk", None) else None,
            created=outcome.new, updated=outcome.loaded - outcome.new, summary=outcome.summary,
        )
    return outcome


def _add(outcome: LookupOutcome, errors: list[RowError]) -> None:
    outcome.error_count += len(errors)
    room = MAX_ERRORS_KEPT - len(outcome.errors)
    if room > 0:
        outcome.errors.extend(errors[:room])


def _check_chunk(chunk: pd.DataFrame, roles, by_code, by_name, rows, first_row, outcome: LookupOutcome, name) -> None:
    errors: list[RowError] = []
    heading = roles
    for record in chunk.to_dict("records"):
        row = record["row"]
        code = record[heading["lsoa_code"]].upper()
        lsoa_name = record[heading["lsoa_name"]]
        district_id = None
        if "lad_code" in heading:
            lad = record[heading["lad_code"]]
            district_id = by_code.get(lad.lower())
            if not lad:
                errors.append(RowError(row, heading["lad_code"], "is blank"))
                continue
        elif "lad_name" in heading:
            lad = record[heading["lad_name"]]
            district_id = by_name.get(lad.lower())
            if not lad:
                errors.append(RowError(row, heading["lad_name"], "is blank"))
                continue
        if district_id is None:
            outcome.outside += 1
            continue
        if not LSOA_CODE.match(code):
            errors.append(RowError(row, heading["lsoa_code"], f"'{code}' is not an LSOA code (like E01024320)"))
            continue
        if not lsoa_name:
            errors.append(RowError(row, heading["lsoa_name"], "is blank"))
            continue
        ward_code = ward_name = ""
        if "ward_code" in heading:
            ward_code = record[heading["ward_code"]].upper()
            ward_name = record[heading["ward_name"]]
            if ward_code and not WARD_CODE.match(ward_code):
                errors.append(RowError(row, heading["ward_code"], f"'{ward_code}' is not a ward code (like E05009650)"))
                continue
            if bool(ward_code) != bool(ward_name):
                errors.append(RowError(row, heading["ward_name" if ward_code else "ward_code"],
                                       "is blank, but the ward's " + ("code" if ward_code else "name") + " is given"))
                continue
        entry = LsoaLookup(lsoa_code=code, lsoa_name=lsoa_name[:100], ward_code=ward_code, ward_name=ward_name[:100],
                           district_id=district_id, source=name[:200])
        if code in rows:
            before = rows[code]
            same = (before.lsoa_name, before.ward_code, before.district_id) == (lsoa_name[:100], ward_code, district_id)
            if not same:
                errors.append(RowError(row, heading["lsoa_code"],
                                       f"{code} is also on row {first_row[code]} with a different ward or district"))
            continue
        rows[code] = entry
        first_row[code] = row
    _add(outcome, errors)
