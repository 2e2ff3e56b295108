"""Import police.uk street-level crime: monthly Kent files to district and neighbourhood counts.

Accepts what data.police.uk gives out: ``YYYY-MM-kent-street.csv`` files,
folders of them, and the downloaded zip archive (``YYYY-MM/`` folders inside).
Each file is one month of one force; the month comes from the file's name.

Every row is accounted for. A row is imported, or skipped for one stated
reason, counted and reported:

- malformed: the fields the import uses are not valid (a row cut short loses
  its crime type; an unquoted comma shifts the fields);
- from another month than the file's;
- without location (police.uk publishes some crimes with no LSOA);
- outside Kent (the LSOA's name starts with another district, such as Bexley).

A row's district is the start of its LSOA name ("Tunbridge Wells 013A"),
matched case-insensitively against each district's name and former names.

Figures: one per district, police.uk crime type and month, status final,
source police.uk. The file is the whole force's month, so a district with no
rows of a type had none: it is stored as 0, which lets the police.uk total
(all crime types, excluding ASB) be derived by the aggregation's roll-up
instead of being stored. Re-importing a month replaces its figures exactly:
unchanged figures stay as they are, changed ones are updated, and figures of
the family the month no longer has are removed, each with history.

Neighbourhoods: counts per LSOA, category and month (``LsoaFigure``). LSOA
codes missing from the loaded LSOA lookup are reported, never guessed.

Files are read in chunks with only the four columns needed, so memory stays
bounded whatever the size; the whole run is one transaction: any error and
nothing at all is written.
"""

from __future__ import annotations

import hashlib
import re
import time
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import numpy as np
import pandas as pd
from django.db import transaction

from crimedata import reference
from crimedata.models import Figure, ImportLog, LsoaLookup
from crimedata.periods import format_month, month_end, month_label, month_start
from crimedata.selectors import ReferenceData
from crimedata.services import (
    FigureInput,
    FigureSaveError,
    remove_figures,
    replace_lsoa_figures,
    save_figures,
)

CHUNK_ROWS = 50_000
KENT_FORCE = "kent"
# data.police.uk names files YYYY-MM-<force>-street.csv; a browser adds " (1)" to a second download.
STREET_FILE = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<force>[a-z0-9-]+?)-street(?: ?\(\d+\))?\.csv$", re.I)
OTHER_POLICEUK_FILE = re.compile(r"^\d{4}-\d{2}-[a-z0-9-]+?-(outcomes|stop-and-search)(?: ?\(\d+\))?\.csv$", re.I)
# A zip from data.police.uk of a few years of Kent is tens of megabytes; far more
# than this uncompressed is not a police.uk download (or is a zip bomb).
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3

COLUMNS = {"month": "Month", "code": "LSOA code", "name": "LSOA name", "type": "Crime type"}
LSOA_CODE = r"[EW]01\d{6}"
LSOA_NAME = re.compile(r"^(?P<district>.+) \d{3}[A-Z]$")
MALFORMED_EXAMPLES = 5


class PoliceUkProblem(Exception):
    """A file or a whole run cannot be imported; the message says why and what to do."""


@dataclass
class StreetFile:
    """One month's street-level file, wherever it lives (a path or a zip member)."""

    name: str  # the file's own name, 2024-03-kent-street.csv
    month: int
    origin: str  # "" for a loose file, else the zip archive as given
    member: str  # path inside the archive, or the path as given for a loose file
    opener: Callable[[], BinaryIO] = field(repr=False)

    @property
    def label(self) -> str:
        """Where the file is, for messages: the path as given, or the member and its archive."""
        return f"{self.member} in {self.origin}" if self.origin else self.member

    @property
    def record_name(self) -> str:
        """How logs and figures' source_detail name it: no local folders, but the archive's name."""
        return f"{self.name} in {PurePosixPath(self.origin).name}" if self.origin else self.name

    def digest(self) -> str:
        sha = hashlib.sha256()
        with self.opener() as handle:
            while block := handle.read(1 << 20):
                sha.update(block)
        return sha.hexdigest()


@dataclass
class Sources:
    """The street files found in the paths given, and what was left out and why."""

    files: list[StreetFile] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)  # per file label
    _archives: list[zipfile.ZipFile] = field(default_factory=list, repr=False)

    def close(self) -> None:
        for archive in self._archives:
            archive.close()


def _street_file(name: str, origin: str, member: str, opener, sources: Sources, explicit: bool) -> None:
    base = PurePosixPath(name).name
    where = f"{member} in {origin}" if origin else name
    found = STREET_FILE.match(base)
    if not found:
        if explicit:
            sources.errors.append(
                f"{where}: the name must be as data.police.uk gives it, YYYY-MM-kent-street.csv (for example "
                "2024-03-kent-street.csv); the month in the name is the month the file covers."
            )
        elif OTHER_POLICEUK_FILE.match(base):
            sources.ignored.append(f"{where} (not street-level crime)")
        else:
            sources.ignored.append(f"{where} (not a police.uk street-level file)")
        return
    year, month, force = int(found["year"]), int(found["month"]), found["force"].lower()
    if not 1 <= month <= 12 or not 2010 <= year <= 2100:
        sources.errors.append(f"{where}: '{found['year']}-{found['month']}' in the name is not a real month.")
        return
    if force != KENT_FORCE:
        sources.errors.append(
            f"{where} is '{force}' police.uk data. Only Kent Police street-level files (YYYY-MM-kent-street.csv) "
            "are imported, so that each month's figures come from one force's extract. Download the Kent "
            "Police files only (without British Transport Police) and try again."
        )
        return
    sources.files.append(StreetFile(base, year * 12 + month - 1, origin, member or name, opener))


def _add_archive(path: Path, name: str, sources: Sources) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        sources.errors.append(f"{name} is not a readable zip archive ({exc}).")
        return
    sources._archives.append(archive)
    members = [i for i in archive.infolist() if not i.is_dir()]
    if sum(i.file_size for i in members) > MAX_UNCOMPRESSED_BYTES:
        sources.errors.append(
            f"{name} holds more than {MAX_UNCOMPRESSED_BYTES // 1024**3} GB of files: too large to be a police.uk "
            "download for Kent. Import it a year at a time."
        )
        return
    for info in members:
        parts = PurePosixPath(info.filename).parts
        if parts and (parts[0] == "__MACOSX" or parts[-1].startswith(".")):
            continue  # macOS resource forks and hidden files are not data
        if info.flag_bits & 0x1:
            sources.errors.append(f"{info.filename} in {name} is encrypted; download the archive again.")
            continue
        if info.filename.lower().endswith(".zip"):
            sources.ignored.append(f"{info.filename} in {name} (a zip inside a zip: unzip it first)")
            continue
        _street_file(info.filename, name, info.filename, (lambda a=archive, i=info: a.open(i)), sources, False)


def find_sources(paths: Sequence[tuple[Path, str]]) -> Sources:
    """Expand (path, name) pairs into street files: CSV files, folders and zip archives.

    ``name`` is how the person knows the file (an upload's original name).
    Files named explicitly must be Kent street files; inside folders and
    archives, other files (outcomes, stop and search) are listed as ignored.
    Duplicate months are read once if identical and refused if they differ.
    """
    sources = Sources()
    for path, name in paths:
        path = Path(path)
        if path.is_dir():
            entries = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            if not entries:
                sources.errors.append(f"{name}: the folder has no files.")
            for entry in entries:
                shown = str(Path(name) / entry.relative_to(path))
                if entry.suffix.lower() == ".zip":
                    _add_archive(entry, shown, sources)
                else:
                    _street_file(shown, "", "", (lambda p=entry: open(p, "rb")), sources, False)
        elif not path.exists():
            sources.errors.append(f"{name} does not exist.")
        elif zipfile.is_zipfile(path) or name.lower().endswith(".zip"):
            _add_archive(path, name, sources)
        else:
            _street_file(name, "", "", (lambda p=path: open(p, "rb")), sources, True)
    _deduplicate_months(sources)
    if not sources.files and not sources.errors:
        sources.errors.append(
            "No police.uk street-level files (YYYY-MM-kent-street.csv) were found"
            + (f"; ignored: {', '.join(sources.ignored)}." if sources.ignored else ".")
        )
    return sources


def _deduplicate_months(sources: Sources) -> None:
    """A month can never be counted twice: identical copies are read once, different ones refused."""
    by_month: dict[int, list[StreetFile]] = {}
    for f in sources.files:
        by_month.setdefault(f.month, []).append(f)
    kept: list[StreetFile] = []
    for month, files in sorted(by_month.items()):
        if len(files) == 1:
            kept.append(files[0])
            continue
        digests = {f.digest() for f in files}
        labels = ", ".join(f.label for f in files)
        if len(digests) == 1:
            kept.append(files[0])
            sources.notes.setdefault(files[0].label, []).append(
                f"{month_label(month)} was given {len(files)} times ({labels}); the copies are identical, "
                "so it was read once."
            )
        else:
            sources.errors.append(
                f"{month_label(month)} was given {len(files)} times with different contents ({labels}). "
                "A month can only be imported from one file: choose one and try again."
            )
    sources.files = kept


# --- Reading one file ----------------------------------------------------------------------------


@dataclass
class MonthCounts:
    """What one street file holds, counted: imported rows by district and LSOA, skipped rows by reason."""

    file: StreetFile
    rows: int = 0
    imported: int = 0
    outside: Counter = field(default_factory=Counter)  # district named by the LSOA -> rows
    no_location: int = 0
    other_month: Counter = field(default_factory=Counter)  # month text -> rows
    malformed: int = 0
    malformed_examples: list[str] = field(default_factory=list)
    # district_id, category_id, value (zero-filled over every district and crime type)
    districts: pd.DataFrame | None = None
    # lsoa_code, lsoa_name, district_id, category_id, value (non-zero only)
    lsoas: pd.DataFrame | None = None
    not_in_lookup_rows: int = 0
    not_in_lookup_lsoas: int = 0
    lookup_loaded: bool = False

    def summary(self) -> str:
        """'15,875 rows: 15,690 imported, 5 outside Kent (Bexley 2, Bromley 2, Tandridge 1), 180 without location'."""
        parts = [f"{self.imported:,} imported"]
        if self.outside:
            named = ", ".join(f"{name} {n:,}" for name, n in sorted(self.outside.items(), key=lambda i: (-i[1], i[0])))
            parts.append(f"{sum(self.outside.values()):,} outside Kent ({named})")
        if self.no_location:
            parts.append(f"{self.no_location:,} without location")
        if self.other_month:
            named = ", ".join(f"{m} {n:,}" for m, n in sorted(self.other_month.items()))
            parts.append(f"{sum(self.other_month.values()):,} from another month ({named})")
        if self.malformed:
            parts.append(f"{self.malformed:,} malformed")
        return f"{self.rows:,} rows: " + ", ".join(parts)


def _open_text_check(file: StreetFile) -> list[str]:
    """The header row, after refusing files that are not UTF-8 CSV text."""
    with file.opener() as raw:
        head = raw.read(1 << 16)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PoliceUkProblem(
            f"{file.label} is saved as UTF-16 text, not as downloaded from data.police.uk. Download it again."
        )
    if not head.strip():
        raise PoliceUkProblem(f"{file.label} is empty. Download it again from data.police.uk.")
    first_line = head.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        text = first_line.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PoliceUkProblem(_encoding_problem(file, 1)) from exc
    return [cell.strip().strip('"').strip() for cell in text.split(",")]


def _encoding_problem(file: StreetFile, line: int | None) -> str:
    where = f" (line {line:,} has bytes that are not UTF-8)" if line else ""
    return (
        f"{file.label} is not UTF-8 text{where}. police.uk files are UTF-8; a file opened and saved again in "
        "Excel may not be. Download it again from data.police.uk."
    )


def _first_bad_line(file: StreetFile) -> int | None:
    with file.opener() as raw:
        for number, line in enumerate(raw, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None


def _header_map(file: StreetFile, header: list[str]) -> dict[str, str]:
    lowered = {h.lower(): h for h in header}
    missing = [label for label in COLUMNS.values() if label.lower() not in lowered]
    if missing:
        raise PoliceUkProblem(
            f"{file.label} is not a police.uk street-level crime file: it has no "
            + ", ".join(f"'{m}'" for m in missing)
            + f" column. Its first row is: {', '.join(header[:12])}."
        )
    return {key: lowered[label.lower()] for key, label in COLUMNS.items()}


def _chunks(file: StreetFile, columns: dict[str, str]) -> Iterator[pd.DataFrame]:
    """The four columns used, as categoricals: a month repeats a few thousand distinct
    values, so each is checked once, not once per row."""
    wanted = list(columns.values())
    rename = {v: k for k, v in columns.items()}
    with file.opener() as raw:
        reader = pd.read_csv(
            raw, usecols=wanted, dtype={c: "category" for c in wanted}, keep_default_na=False,
            encoding="utf-8-sig", chunksize=CHUNK_ROWS, engine="c",
        )
        for chunk in reader:
            yield chunk.rename(columns=rename)


@dataclass(frozen=True)
class Lookups:
    """What classifying a row needs, built once per run."""

    districts: dict[str, int]  # lower-case name or former name -> district id
    types: dict[str, int]  # lower-case police.uk crime type -> category id
    district_ids: tuple[int, ...]
    type_ids: tuple[int, ...]
    lookup_codes: frozenset[str]

    @classmethod
    def build(cls, ref: ReferenceData) -> "Lookups":
        districts = {}
        for d in ref.districts:
            for name in (d.name, *d.former_names):
                districts[name.strip().lower()] = d.id
        types = {}
        for name, slug in reference.POLICEUK_TYPES:
            category = ref.category(slug)
            if category is None:
                raise PoliceUkProblem(f"The police.uk category '{slug}' is missing from the reference data.")
            types[name.lower()] = category.id
        codes = frozenset(LsoaLookup.objects.values_list("lsoa_code", flat=True))
        return cls(districts, types, tuple(d.id for d in ref.districts), tuple(sorted(types.values())), codes)


MONTH_TEXT = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
LSOA_CODE_TEXT = re.compile(f"^{LSOA_CODE}$")


@dataclass
class _Column:
    """One column's distinct values (its categories), checked once each."""

    text: list[str]  # stripped
    problem: list[str]  # why the value makes a row malformed ("" when fine)
    blank: np.ndarray

    @classmethod
    def of(cls, categories: pd.Index, check) -> "_Column":
        text = [str(value).strip() for value in categories.tolist()]
        return cls(text, [check(t) for t in text], np.array([t == "" for t in text], dtype=bool))

    @property
    def bad(self) -> np.ndarray:
        return np.array([p != "" for p in self.problem], dtype=bool)


def _month_problem(text: str) -> str:
    if text == "":
        return "has no month"
    return "" if MONTH_TEXT.match(text) else f"month '{text}' is not written YYYY-MM"


def _type_problem(lookups: Lookups, text: str) -> str:
    if text == "":
        return "has no crime type (the row may be cut short)"
    return "" if text.lower() in lookups.types else f"crime type '{text}' is not a police.uk crime type"


def _code_problem(text: str) -> str:
    return "" if text == "" or LSOA_CODE_TEXT.match(text) else f"LSOA code '{text}' is not an LSOA code"


def _name_problem(text: str) -> str:
    return "" if text == "" or LSOA_NAME.match(text) else f"LSOA name '{text}' is not like 'Maidstone 001A'"


def _classify_chunk(chunk: pd.DataFrame, file_month: str, lookups: Lookups, counts: MonthCounts,
                    examples: list[tuple[int, str]]) -> pd.DataFrame:
    """Count the chunk's skipped rows by reason into ``counts``; return its imported rows aggregated
    (lsoa_code, lsoa_name, district_id, category_id, n)."""
    month = _Column.of(chunk["month"].cat.categories, _month_problem)
    crime_type = _Column.of(chunk["type"].cat.categories, lambda t: _type_problem(lookups, t))
    code = _Column.of(chunk["code"].cat.categories, _code_problem)
    name = _Column.of(chunk["name"].cat.categories, _name_problem)
    type_id = np.array([lookups.types.get(t.lower(), -1) for t in crime_type.text], dtype=np.int64)
    prefixes = [(LSOA_NAME.match(t)["district"] if LSOA_NAME.match(t) else "") for t in name.text]
    district_id = np.array([lookups.districts.get(p.lower(), -1) for p in prefixes], dtype=np.int64)
    same_month = np.array([t == file_month for t in month.text], dtype=bool)

    m = chunk["month"].cat.codes.to_numpy()
    t = chunk["type"].cat.codes.to_numpy()
    c = chunk["code"].cat.codes.to_numpy()
    n = chunk["name"].cat.codes.to_numpy()
    code_blank, name_blank = code.blank[c], name.blank[n]
    half_located = code_blank != name_blank
    malformed = month.bad[m] | crime_type.bad[t] | half_located | code.bad[c] | name.bad[n]
    other_month = ~malformed & ~same_month[m]
    no_location = ~malformed & ~other_month & code_blank & name_blank
    outside = ~malformed & ~other_month & ~no_location & (district_id[n] < 0)
    imported = ~(malformed | other_month | no_location | outside)

    counts.malformed += int(malformed.sum())
    counts.no_location += int(no_location.sum())
    for index, total in enumerate(np.bincount(m[other_month], minlength=len(month.text))):
        if total:
            counts.other_month[month.text[index]] += int(total)
    for index, total in enumerate(np.bincount(n[outside], minlength=len(name.text))):
        if total:
            counts.outside[prefixes[index]] += int(total)
    for position in np.flatnonzero(malformed)[: max(0, MALFORMED_EXAMPLES - len(examples))]:
        problems = (
            month.problem[m[position]], crime_type.problem[t[position]],
            "has an LSOA name but no LSOA code" if code_blank[position] and not name_blank[position] else
            "has an LSOA code but no LSOA name" if half_located[position] else "",
            code.problem[c[position]], name.problem[n[position]],
        )
        examples.append((int(chunk.index[position]) + 2, next(p for p in problems if p)))

    # Values that differ only by spaces around them are the same code or name.
    code_id, code_text = pd.factorize(np.asarray(code.text, dtype=object))
    name_id, name_text = pd.factorize(np.asarray(name.text, dtype=object))
    district_of_name = np.full(len(name_text), -1, dtype=np.int64)
    district_of_name[name_id] = district_id
    grouped = (
        pd.DataFrame({"c": code_id[c[imported]], "n": name_id[n[imported]], "t": type_id[t[imported]]})
        .groupby(["c", "n", "t"], sort=False).size()
    )
    keys = grouped.index
    codes_, names_ = keys.get_level_values("c").to_numpy(), keys.get_level_values("n").to_numpy()
    return pd.DataFrame({
        "lsoa_code": np.asarray(code_text, dtype=object)[codes_],
        "lsoa_name": np.asarray(name_text, dtype=object)[names_],
        "district_id": district_of_name[names_],
        "category_id": keys.get_level_values("t").to_numpy(),
        "n": grouped.to_numpy(),
    })


def read_month(file: StreetFile, lookups: Lookups) -> MonthCounts:
    """Count one street file: imported rows by district/LSOA and type, skipped rows by reason.

    Raises PoliceUkProblem when the file cannot be read at all.
    """
    columns = _header_map(file, _open_text_check(file))
    counts = MonthCounts(file=file, lookup_loaded=bool(lookups.lookup_codes))
    file_month = format_month(file.month)
    imported: list[pd.DataFrame] = []
    examples: list[tuple[int, str]] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            for chunk in _chunks(file, columns):
                counts.rows += len(chunk)
                imported.append(_classify_chunk(chunk, file_month, lookups, counts, examples))
    except UnicodeDecodeError as exc:
        raise PoliceUkProblem(_encoding_problem(file, _first_bad_line(file))) from exc
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        detail = str(exc).strip().split("\n")[0].replace("Error tokenizing data. C error: ", "")
        raise PoliceUkProblem(
            f"{file.label} is not a well-formed CSV file ({detail}); it may have been cut off while "
            "downloading. Download it again from data.police.uk."
        ) from exc
    counts.malformed_examples = [f"Row {row:,}: {text}." for row, text in sorted(examples)]
    if counts.rows == 0:
        raise PoliceUkProblem(f"{file.label} has column headings but no rows. Download it again from data.police.uk.")
    rows = pd.concat(imported, ignore_index=True)
    if len(imported) > 1:
        # Chunks have their own categories: add up the same row contents across chunks.
        keys = ["lsoa_code", "lsoa_name", "district_id", "category_id"]
        rows = rows.groupby(keys, sort=False)["n"].sum().reset_index()
    rows = _one_name_per_code(rows, counts)
    counts.imported = int(rows["n"].sum())
    if counts.imported == 0:
        raise PoliceUkProblem(
            f"{file.label}: none of its {counts.rows:,} rows could be imported ({counts.summary()}). "
            "Is it a Kent Police street-level file?"
        )
    rows = rows.astype({"district_id": "int64", "category_id": "int64", "n": "int64"})
    by_district = rows.groupby(["district_id", "category_id"])["n"].sum()
    grid = pd.MultiIndex.from_product([lookups.district_ids, lookups.type_ids], names=["district_id", "category_id"])
    counts.districts = by_district.reindex(grid, fill_value=0).rename("value").reset_index()
    # Each code now has one name (so one district): rows are already one per code and crime type.
    # Sorted as the unique index is, which keeps the inserts cheap.
    counts.lsoas = (
        rows.rename(columns={"n": "value"})[["lsoa_code", "lsoa_name", "district_id", "category_id", "value"]]
        .sort_values(["lsoa_code", "category_id"], ignore_index=True)
    )
    if lookups.lookup_codes:
        per_code = rows.groupby("lsoa_code")["n"].sum()
        missing = per_code[~per_code.index.isin(lookups.lookup_codes)]
        counts.not_in_lookup_lsoas, counts.not_in_lookup_rows = len(missing), int(missing.sum())
    return counts


def _one_name_per_code(rows: pd.DataFrame, counts: MonthCounts) -> pd.DataFrame:
    """An LSOA code named two ways in one file: keep its commonest name, count the others malformed."""
    if rows.empty or rows.drop_duplicates(["lsoa_code", "lsoa_name"])["lsoa_code"].is_unique:
        return rows
    totals = rows.groupby(["lsoa_code", "lsoa_name"], sort=False)["n"].sum().reset_index()
    names = totals.groupby("lsoa_code")["lsoa_name"].nunique()
    clashing = names[names > 1].index
    if clashing.empty:
        return rows
    totals = totals[totals["lsoa_code"].isin(clashing)].sort_values(
        ["lsoa_code", "n", "lsoa_name"], ascending=[True, False, True]
    )
    keep = totals.drop_duplicates("lsoa_code")
    dropped = totals.drop(keep.index)
    for record in dropped.itertuples(index=False):
        counts.malformed += int(record.n)
        if len(counts.malformed_examples) < MALFORMED_EXAMPLES:
            kept_name = keep.loc[keep["lsoa_code"] == record.lsoa_code, "lsoa_name"].iloc[0]
            counts.malformed_examples.append(
                f"{record.n:,} row(s) name LSOA {record.lsoa_code} '{record.lsoa_name}', but most name it "
                f"'{kept_name}'."
            )
    pairs = ["lsoa_code", "lsoa_name"]
    wrong = rows.merge(dropped[pairs], on=pairs, how="left", indicator=True)["_merge"]
    return rows[(wrong == "left_only").to_numpy()]


# --- The whole run -------------------------------------------------------------------------------


@dataclass
class FileResult:
    counts: MonthCounts
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    lsoa_figures: int = 0
    notes: list[str] = field(default_factory=list)
    read_seconds: float = 0.0  # reading and counting the file
    write_seconds: float = 0.0  # storing its figures and neighbourhood counts

    @property
    def month(self) -> int:
        return self.counts.file.month

    @property
    def headline(self) -> str:
        return f"{self.counts.file.record_name} ({month_label(self.month)}): {self.counts.summary()}."

    def details(self, dry_run: bool) -> list[str]:
        c = self.counts
        would = "would be " if dry_run else ""
        lines = [
            f"District figures {would}created {self.created:,}, updated {self.updated:,}, unchanged "
            f"{self.unchanged:,}, removed {self.removed:,}; neighbourhood (LSOA) counts {would}stored "
            f"{self.lsoa_figures:,}."
        ]
        if c.malformed_examples:
            lines.append("Malformed rows: " + " ".join(c.malformed_examples))
        if not c.lookup_loaded:
            lines.append("No LSOA lookup is loaded, so these neighbourhoods have no wards (see import_lsoa_lookup).")
        elif c.not_in_lookup_lsoas:
            areas = c.not_in_lookup_lsoas
            lines.append(
                f"{c.not_in_lookup_rows:,} imported row{'s' if c.not_in_lookup_rows != 1 else ''} in "
                f"{areas:,} neighbourhood{'s' if areas != 1 else ''} (LSOA{'s' if areas != 1 else ''}) "
                f"{'are' if areas != 1 else 'is'} not in the loaded LSOA lookup, so no ward is given for "
                f"{'them' if areas != 1 else 'it'}; the rows still count for their district (from the LSOA "
                "name). A lookup with the 2021 LSOA codes police.uk uses would place them."
            )
        lines.extend(self.notes)
        return lines

    def text(self, dry_run: bool) -> str:
        return " ".join([self.headline, *self.details(dry_run)])


@dataclass
class PoliceUkOutcome:
    files: list[FileResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    dry_run: bool = False
    logs: list[ImportLog] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> str:
        if not self.ok:
            return f"{len(self.errors)} problem(s); nothing was written."
        rows = sum(f.counts.rows for f in self.files)
        imported = sum(f.counts.imported for f in self.files)
        verb = "Checked (dry run, nothing written)" if self.dry_run else "Imported"
        months = sorted(f.month for f in self.files)
        span = month_label(months[0]) if len(months) == 1 else f"{month_label(months[0])} to {month_label(months[-1])}"
        return (
            f"{verb} {len(self.files)} police.uk file(s) ({span}): {rows:,} rows, {imported:,} imported, "
            f"{rows - imported:,} skipped and reported."
        )

    def lines(self) -> list[str]:
        """The full report: one paragraph per file, then what was ignored."""
        out = [f.text(self.dry_run) for f in self.files]
        if self.ignored:
            out.append("Ignored: " + "; ".join(self.ignored) + ".")
        return out


def _write_month(counts: MonthCounts, ref: ReferenceData, result: FileResult, *, user, dry_run: bool,
                 allow_locked: bool, reason: str) -> list[str]:
    """Replace the month's police.uk figures and neighbourhood counts; return problems (nothing written then)."""
    file = counts.file
    start, end = month_start(file.month), month_end(file.month)
    source_detail = file.record_name[:255]
    why = reason or f"police.uk street-level import of {file.record_name}"
    inputs = [
        FigureInput(district_id=int(r.district_id), category_id=int(r.category_id), period_start=start,
                    period_end=end, value=int(r.value), status=Figure.STATUS_FINAL)
        for r in counts.districts.itertuples(index=False)
    ]
    try:
        saved = save_figures(inputs, user=user, source=Figure.SOURCE_POLICEUK, source_detail=source_detail,
                             reason=why, allow_locked=allow_locked, dry_run=dry_run)
    except FigureSaveError as exc:
        saved = exc.result
    if saved.problems:
        return [_describe_problem(ref, inputs[p.index].district_id, inputs[p.index].category_id, file, p.message)
                for p in saved.problems[:20]]
    result.created, result.updated, result.unchanged = saved.created, saved.updated, saved.unchanged

    # Figures of the police.uk family the new month does not have (such as a total
    # stored directly before it was derived) go, with history.
    family = [c.id for c in ref.family("policeuk")]
    written = {(i.district_id, i.category_id) for i in inputs}
    stale = [
        (pk, d, c) for pk, d, c in Figure.objects.filter(
            category_id__in=family, period_start=start, period_end=end
        ).order_by("pk").values_list("pk", "district_id", "category_id")
        if (d, c) not in written
    ]
    result.removed = len(stale)
    if stale and not dry_run:
        try:
            remove_figures([pk for pk, _, _ in stale], user=user, reason=why, allow_locked=allow_locked)
        except FigureSaveError as exc:
            return [_describe_problem(ref, stale[p.index][1], stale[p.index][2], file, p.message)
                    for p in exc.result.problems[:20]]

    lsoas = counts.lsoas
    result.lsoa_figures = len(lsoas)
    if not dry_run:
        # Plain tuples in LsoaCount's field order (tolist is far cheaper than a Python object per row).
        replace_lsoa_figures(
            start,
            zip(lsoas["lsoa_code"].tolist(), lsoas["lsoa_name"].str.slice(0, 100).tolist(),
                lsoas["district_id"].tolist(), lsoas["category_id"].tolist(), lsoas["value"].tolist()),
            source_detail=source_detail,
            category_ids=family,
            district_ids=[d.id for d in ref.districts],
        )
    return []


def _describe_problem(ref: ReferenceData, district_id: int, category_id: int, file: StreetFile, message: str) -> str:
    district = next((d.name for d in ref.districts if d.id == district_id), "?")
    category = next((c.name for c in ref.categories if c.id == category_id), "?")
    return f"{file.label}: {district}, {category}, {month_label(file.month)} {message}."


def import_policeuk(
    paths: Sequence[tuple[Path, str]],
    ref: ReferenceData,
    *,
    user=None,
    dry_run: bool = False,
    allow_locked: bool = False,
    reason: str = "",
) -> PoliceUkOutcome:
    """Import every street file found in ``paths`` in one transaction, or nothing.

    ``paths`` are (path, name) pairs: a CSV file, a folder or a zip archive,
    and the name the person knows it by.
    """
    outcome = PoliceUkOutcome(dry_run=dry_run)
    sources = find_sources(paths)
    try:
        outcome.errors.extend(sources.errors)
        outcome.ignored = sources.ignored
        if outcome.errors:
            return outcome
        lookups = Lookups.build(ref)
        with transaction.atomic():
            for file in sorted(sources.files, key=lambda f: f.month):
                started = time.perf_counter()
                try:
                    counts = read_month(file, lookups)
                except PoliceUkProblem as problem:
                    outcome.errors.append(str(problem))
                    continue
                result = FileResult(counts=counts, notes=sources.notes.get(file.label, []))
                result.read_seconds = time.perf_counter() - started
                outcome.files.append(result)
                if outcome.errors:
                    continue  # keep reading to report every problem, but write nothing more
                started = time.perf_counter()
                problems = _write_month(counts, ref, result, user=user, dry_run=dry_run,
                                        allow_locked=allow_locked, reason=reason)
                result.write_seconds = time.perf_counter() - started
                # Only the counts by reason are kept for the report: memory stays one month's worth.
                counts.districts = counts.lsoas = None
                outcome.errors.extend(problems)
            if outcome.errors or dry_run:
                transaction.set_rollback(True)
                return outcome
            for result in outcome.files:
                outcome.logs.append(ImportLog.objects.create(
                    kind=ImportLog.KIND_POLICEUK,
                    file_name=result.counts.file.record_name[:255],
                    source=Figure.SOURCE_POLICEUK,
                    imported_by=user if getattr(user, "pk", None) else None,
                    first_month=month_start(result.month),
                    last_month=month_start(result.month),
                    created=result.created,
                    updated=result.updated,
                    unchanged=result.unchanged,
                    summary=result.text(dry_run=False),
                ))
    finally:
        sources.close()
    return outcome
