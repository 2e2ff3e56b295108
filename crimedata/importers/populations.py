"""Import mid-year population estimates: columns district, year, population (and optional source).

Validated as a whole before anything is written; written in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from django.db import transaction

from crimedata import rules
from crimedata.importers.tables import FileProblem, RowError, read_chunks
from crimedata.models import ImportLog, Population
from crimedata.selectors import ReferenceData
from crimedata.services import bump_data_generation

REQUIRED = ("district", "year", "population")
OPTIONAL = ("source",)
# Kent's largest area (Medway) has under 300,000 residents.
MAX_PLAUSIBLE_POPULATION = 5_000_000
SOURCE_MAX_LENGTH = Population._meta.get_field("source").max_length


@dataclass
class PopulationOutcome:
    file_name: str
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> str:
        if not self.ok:
            return f"{self.file_name}: {len(self.errors):,} error(s); nothing was written."
        return (
            f"Imported populations from {self.file_name}: {self.created:,} created, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged."
        )


def import_populations(path: Path, name: str, ref: ReferenceData, *, user=None, dry_run: bool = False) -> PopulationOutcome:
    outcome = PopulationOutcome(file_name=name)
    lookup = {}
    for d in ref.districts:
        for spelling in (d.code, d.name, *d.former_names):
            lookup[spelling.lower()] = d.id
    rows: dict[tuple[int, int], tuple[int, int, str]] = {}
    try:
        chunks = list(read_chunks(path, name, REQUIRED, OPTIONAL))
    except FileProblem as problem:
        outcome.errors.append(problem.error)
        return outcome
    frame = pd.concat(chunks, ignore_index=True)
    for record in frame.itertuples(index=False):
        row = int(record.row)
        texts = {column: getattr(record, column) for column in frame.columns if column != "row"}
        # The shared input rules (crimedata.rules): control characters, then each column's own rule.
        refused = set()
        for column, text in texts.items():
            problem = rules.control_character_problem(text)
            if problem:
                outcome.errors.append(RowError(row, column, problem))
                refused.add(column)
        district_id = lookup.get(record.district.lower())
        if "district" in refused:
            district_id = None
        elif not record.district:
            outcome.errors.append(RowError(row, "district", "is blank"))
        elif district_id is None:
            outcome.errors.append(RowError(row, "district", f"'{record.district}' is not a Kent district we know"))
        year = rules.ascii_int(record.year)
        if "year" not in refused and (year is None or not 1990 <= year <= 2100):
            outcome.errors.append(RowError(row, "year", "must be a year such as 2021"))
            year = None
        population = None
        if "population" not in refused:
            try:
                population = rules.whole_number(record.population)
            except rules.RuleError as refusal:
                outcome.errors.append(RowError(row, "population", str(refusal)))
            else:
                if not population:
                    outcome.errors.append(RowError(row, "population", "must be a whole number greater than 0"))
                elif population > MAX_PLAUSIBLE_POPULATION:
                    outcome.errors.append(RowError(row, "population", "is too large to be a district's population"))
                    population = None
        source = getattr(record, "source", "")
        if "source" not in refused and len(source) > SOURCE_MAX_LENGTH:
            outcome.errors.append(RowError(row, "source", f"must be {SOURCE_MAX_LENGTH} characters or fewer"))
            refused.add("source")
        if refused:
            continue
        if district_id is not None and year is not None and population:
            key = (district_id, year)
            if key in rows:
                outcome.errors.append(RowError(row, None, f"repeats the district and year of row {rows[key][0]}"))
            rows[key] = (row, population, source or f"Imported from {name}"[:SOURCE_MAX_LENGTH])
    if outcome.errors or dry_run:
        return outcome
    with transaction.atomic():
        existing = {(p.district_id, p.year): p for p in Population.objects.select_for_update()}
        for (district_id, year), (_, population, source) in rows.items():
            current = existing.get((district_id, year))
            if current is None:
                Population.objects.create(district_id=district_id, year=year, population=population, source=source)
                outcome.created += 1
            elif (current.population, current.source) == (population, source):
                outcome.unchanged += 1
            else:
                current.population, current.source = population, source
                current.save(update_fields=["population", "source"])
                outcome.updated += 1
        if outcome.created or outcome.updated:
            bump_data_generation()
        ImportLog.objects.create(
            kind=ImportLog.KIND_POPULATIONS, file_name=name, imported_by=user, created=outcome.created,
            updated=outcome.updated, unchanged=outcome.unchanged, summary=outcome.summary,
        )
    return outcome
