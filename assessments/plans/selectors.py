"""Reads for the plan pages: everything a page shows, in a fixed number of queries.

``plan_page`` gathers one assessment's priorities, actions, targets, funding and
MoRiLE table with prefetches (the query count does not grow with the number of
priorities or actions) and one comparison context for the evidence figures.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

from assessments.comparison.context import cached_populations, comparison_context
from assessments.comparison.headline import Headline, headlines
from assessments.comparison.trend import earlier_years as trend_windows
from assessments.models import (
    Action,
    ActionUpdate,
    FundedOutcome,
    GrantApplication,
    MorileMultiplier,
    MorileScore,
    OutcomeUpdate,
    PccGrant,
    Priority,
    StrategicAssessment,
    Target,
)
from assessments.plans import funding, status, wording
from assessments.statistics.morile import rank_themes
from crimedata import roles
from crimedata.periods import Window
from crimedata.selectors import data_generation, reference_data

EVIDENCE_GROUP = "kent"
RAG_LABELS = {
    "green": "Green – on track",
    "amber": "Amber – some concerns",
    "red": "Red – off track",
    None: "No update yet",
}


def visible_assessments(user) -> QuerySet[StrategicAssessment]:
    queryset = StrategicAssessment.objects.select_related("district")
    if not roles.can_view_drafts(user):
        queryset = queryset.filter(status=StrategicAssessment.SIGNED_OFF)
    return queryset


def assessment_for(user, district_code: str, plan_year: int) -> StrategicAssessment | None:
    """The assessment the user may see for a district and plan year, or None (one query)."""
    return (
        visible_assessments(user)
        .select_related("pcc_grant")
        .filter(district__code=district_code, plan_year=plan_year)
        .first()
    )


# --- The assessment page ----------------------------------------------------------------


@dataclass
class ActionView:
    action: Action
    agencies: list[str]
    updates: list[ActionUpdate]

    @property
    def latest(self) -> ActionUpdate | None:
        return max(self.updates, key=lambda u: (u.reported_on, u.quarter)) if self.updates else None

    @property
    def rag(self) -> str | None:
        latest = self.latest
        return latest.rag if latest else None

    @property
    def rag_label(self) -> str:
        return RAG_LABELS[self.rag]


@dataclass
class OutcomeView:
    outcome: FundedOutcome
    updates: list[OutcomeUpdate]


@dataclass
class GrantView:
    grant: GrantApplication
    outcomes: list[OutcomeView]

    @property
    def unspent(self) -> Decimal | None:
        amounts = [o.outcome.amount_unspent for o in self.outcomes if o.outcome.amount_unspent is not None]
        return sum(amounts, Decimal("0")) if amounts else None

    @property
    def status_label(self) -> str:
        return funding.STATUS_LABELS[self.grant.status]


@dataclass
class PriorityView:
    priority: Priority
    themes: list
    derived_status: str | None
    categories: list
    actions: list[ActionView] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    grants: list[GrantView] = field(default_factory=list)
    headlines: list[Headline] = field(default_factory=list)
    position: str = ""

    @property
    def status(self) -> str | None:
        return status.effective_status(self.derived_status, self.priority.status_override or None)

    @property
    def status_label(self) -> str:
        return status.STATUS_LABELS.get(self.status, "Not compared") if self.status else "Not compared"

    @property
    def overridden(self) -> bool:
        return bool(self.priority.status_override) and self.priority.status_override != self.derived_status

    @property
    def derived_label(self) -> str:
        return status.STATUS_LABELS.get(self.derived_status, "not worked out") if self.derived_status else (
            "not worked out (no assessment for the year before)"
        )

    @property
    def rag_counts(self) -> Counter:
        return Counter(view.rag for view in self.actions)


@dataclass
class MorileRow:
    score: MorileScore
    multiplier: Decimal | None
    overall: float | None
    rank_label: str | None
    is_priority: bool

    @property
    def overall_text(self) -> str | None:
        return None if self.overall is None else _plain_number(self.overall)

    @property
    def problem(self) -> str | None:
        if self.multiplier is None:
            return f"No multiplier is set for a CSP score of {self.score.csp_score}."
        return None


def _plain_number(value: float | Decimal) -> str:
    """1800, 134.4, 10.5: as the MoRiLE tables print scores (no trailing zeros)."""
    text = format(Decimal(repr(float(value))).normalize(), "f")
    whole, _, fraction = text.partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


@dataclass
class PlanPage:
    assessment: StrategicAssessment
    previous: StrategicAssessment | None
    named: list[PriorityView]
    cross_cutting: list[PriorityView]
    dropped: list[Priority]
    other_targets: list[Target]
    grants: list[GrantView]
    budget: funding.BudgetSummary
    pcc_grant: PccGrant | None
    morile: list[MorileRow]
    window: Window
    include_provisional: bool
    evidence_error: str | None = None
    # The data generation the evidence was read at, so the commentary reuses it (one query fewer).
    generation: int | None = None

    @property
    def priorities(self) -> list[PriorityView]:
        return [*self.named, *self.cross_cutting]

    @property
    def compared(self) -> bool:
        return self.previous is not None

    @property
    def other_grants(self) -> list[GrantView]:
        return [g for g in self.grants if g.grant.priority_id is None]

    @property
    def overall_position(self) -> str:
        """One paragraph on the whole plan, for the front of the scrutiny summary."""
        rag = Counter()
        results: list[str] = []
        for view in self.priorities:
            rag.update(view.rag_counts)
        for view in self.priorities:
            results.extend(t.result for t in view.targets)
        results.extend(t.result for t in self.other_targets)
        awarded = [g.grant.amount_awarded for g in self.grants if g.grant.status == funding.APPROVED]
        reports = sum(
            1 for g in self.grants
            if g.grant.status == funding.APPROVED and g.grant.outcome_report == GrantApplication.REPORT_RECEIVED
        )
        unspent = [g.unspent for g in self.grants if g.unspent]
        named = len(self.named)
        text = f"The plan has {named} named {'priority' if named == 1 else 'priorities'}"
        if self.cross_cutting:
            text += f" and {len(self.cross_cutting)} cross-cutting {'theme' if len(self.cross_cutting) == 1 else 'themes'}"
        text += ". "
        return text + wording.overall_position(rag, results, awarded, reports, sum(unspent, Decimal("0")) or None)


def _priorities_query(assessment_ids) -> QuerySet[Priority]:
    return (
        Priority.objects.filter(assessment_id__in=assessment_ids)
        .select_related("theme", "lead_agency")
        .prefetch_related("also_covers", "categories")
        .order_by("kind", "order", "id")
    )


def _grouped(rows, key: str) -> dict[int, list]:
    # Rows fetched in one query and grouped in Python: cheaper than a prefetch that
    # builds a related manager (and a queryset) for every parent row.
    groups: dict[int, list] = {}
    for row in rows:
        groups.setdefault(getattr(row, key), []).append(row)
    return groups


def _theme_set(priority: Priority) -> frozenset[str]:
    return frozenset([priority.theme.slug, *(t.slug for t in priority.also_covers.all())])


def plan_page(assessment: StrategicAssessment, user, *, with_evidence: bool = True) -> PlanPage:
    """Everything the assessment page and the scrutiny summary show for one assessment.

    Queries (fixed, whatever the number of priorities, actions or grants): the
    previous assessment (1), priorities with their themes and categories (3),
    actions, their agencies and updates (3), last year's priorities with their
    themes (2), targets (1), grants, outcomes and reports (3), MoRiLE rows and
    multipliers (2), and the evidence (1 when cached; the comparison context's
    1 to 6 when not).
    """
    include_provisional = roles.can_see_provisional(user)
    previous = StrategicAssessment.objects.filter(
        district_id=assessment.district_id, plan_year=assessment.plan_year - 1
    ).first()
    priorities = list(_priorities_query([assessment.id]))
    previous_priorities = (
        list(Priority.objects.filter(assessment=previous).select_related("theme").prefetch_related("also_covers"))
        if previous is not None else None
    )
    derivation = status.derive_statuses(
        [status.PriorityThemes(p.id, p.kind, _theme_set(p)) for p in priorities],
        None if previous_priorities is None
        else [status.PriorityThemes(p.id, p.kind, _theme_set(p)) for p in previous_priorities],
    )
    dropped_ids = set(derivation.dropped)
    dropped = [p for p in previous_priorities or [] if p.id in dropped_ids]

    actions = _grouped(Action.objects.filter(priority__assessment=assessment).order_by("order", "id"),
                       "priority_id")
    updates = _grouped(ActionUpdate.objects.filter(action__priority__assessment=assessment).order_by("quarter"),
                       "action_id")
    agency_names: dict[int, list[str]] = {}
    for action_id, name in (Action.agencies.through.objects.filter(action__priority__assessment=assessment)
                            .order_by("agency__name").values_list("action_id", "agency__name")):
        agency_names.setdefault(action_id, []).append(name)

    views: dict[int, PriorityView] = {}
    for p in priorities:
        views[p.id] = PriorityView(
            priority=p,
            themes=[p.theme, *p.also_covers.all()],
            derived_status=derivation.statuses.get(p.id),
            categories=list(p.categories.all()),
            actions=[
                ActionView(
                    action=a,
                    agencies=agency_names.get(a.id, []) + ([a.other_partners] if a.other_partners else []),
                    updates=updates.get(a.id, []),
                )
                for a in actions.get(p.id, [])
            ],
        )

    other_targets = []
    for target in Target.objects.filter(assessment=assessment).order_by("order", "id"):
        if target.priority_id in views:
            views[target.priority_id].targets.append(target)
        else:
            other_targets.append(target)

    outcome_updates = _grouped(OutcomeUpdate.objects.filter(outcome__grant__assessment=assessment)
                               .order_by("quarter"), "outcome_id")
    outcomes = _grouped(FundedOutcome.objects.filter(grant__assessment=assessment).order_by("order", "id"),
                        "grant_id")
    grants = [
        GrantView(grant=g, outcomes=[OutcomeView(o, outcome_updates.get(o.id, [])) for o in outcomes.get(g.id, [])])
        for g in GrantApplication.objects.filter(assessment=assessment)
        .select_related("agency", "priority")
        .order_by("order", "id")
    ]
    for view in grants:
        if view.grant.priority_id in views:
            views[view.grant.priority_id].grants.append(view)

    pcc_grant = getattr(assessment, "pcc_grant", None) if _has_cached_grant(assessment) else (
        PccGrant.objects.filter(assessment=assessment).first()
    )
    budget = funding.budget_summary(
        (funding.Application(g.grant.status, g.grant.amount_requested, g.grant.amount_awarded) for g in grants),
        pcc_grant.project_budget if pcc_grant else None,
    )
    priority_theme_ids = {p.theme_id for p in priorities if p.kind == status.KIND_PRIORITY}
    morile = morile_rows(assessment, priority_theme_ids)

    page = PlanPage(
        assessment=assessment,
        previous=previous,
        named=[views[p.id] for p in priorities if p.kind == status.KIND_PRIORITY],
        cross_cutting=[views[p.id] for p in priorities if p.kind == status.KIND_CROSS_CUTTING],
        dropped=dropped,
        other_targets=other_targets,
        grants=grants,
        budget=budget,
        pcc_grant=pcc_grant,
        morile=morile,
        window=assessment.window,
        include_provisional=include_provisional,
    )
    if with_evidence:
        _add_evidence(page)
    for view in page.priorities:
        awarded = [g.grant.amount_awarded for g in view.grants if g.grant.status == funding.APPROVED]
        reports = sum(
            1 for g in view.grants
            if g.grant.status == funding.APPROVED and g.grant.outcome_report == GrantApplication.REPORT_RECEIVED
        )
        unspent = sum((g.unspent for g in view.grants if g.unspent), Decimal("0")) or None
        view.position = wording.overall_position(
            view.rag_counts, [t.result for t in view.targets], awarded, reports, unspent
        )
    return page


def _has_cached_grant(assessment: StrategicAssessment) -> bool:
    # assessment_for() select_related the grant; a missing one is cached as absent too.
    return "pcc_grant" in assessment._state.fields_cache


def _add_evidence(page: PlanPage) -> None:
    slugs = [c.slug for view in page.priorities for c in view.categories]
    if not slugs:
        return
    generation = page.generation = data_generation()
    ref = reference_data(generation)
    window = page.window
    code = page.assessment.district.code
    wanted = sorted(set(slugs))
    # The data generation is in the key, so an import or edit makes a fresh calculation.
    key = "plans-evidence:v1:" + hashlib.sha256(
        f"{generation}|{int(page.include_provisional)}|{code}|{window.start}|{window.end}|{','.join(wanted)}".encode()
    ).hexdigest()
    figures = cache.get(key)
    if figures is None:
        try:
            context = comparison_context(
                window, EVIDENCE_GROUP, include_provisional=page.include_provisional,
                extra_windows=trend_windows(window), ref=ref, generation=generation,
            )
        except KeyError:
            page.evidence_error = "The Kent comparison group is not set up, so no figures can be shown."
            return
        figures = headlines(context, code, wanted, populations=cached_populations(ref, generation))
        cache.set(key, figures, settings.COMPARISON_CACHE_SECONDS)
    # The plain-words paragraph for each priority is written later, after small-number
    # suppression (assessments.commentary.priorities.add_priority_commentary).
    for view in page.priorities:
        view.headlines = [figures[c.slug] for c in view.categories if c.slug in figures]


def morile_rows(assessment: StrategicAssessment, priority_theme_ids: set[int]) -> list[MorileRow]:
    """The assessment's MoRiLE table, ranked by overall score (ties share a place, "15=").

    A row whose CSP score has lost its multiplier (an analyst removed it) is
    listed unranked with the reason, rather than breaking the page.
    """
    multipliers = {m.csp_score: m.multiplier for m in MorileMultiplier.objects.all()}
    scores = list(MorileScore.objects.filter(assessment=assessment).select_related("theme"))
    known = [s for s in scores if s.csp_score in multipliers]
    unknown = [s for s in scores if s.csp_score not in multipliers]
    ranked = rank_themes([(str(s.id), s.risk, s.csp_score) for s in known], multipliers)
    by_id = {s.id: s for s in scores}
    rows = [
        MorileRow(
            score=by_id[int(r.theme)], multiplier=multipliers[by_id[int(r.theme)].csp_score], overall=r.overall,
            rank_label=r.rank_label, is_priority=by_id[int(r.theme)].theme_id in priority_theme_ids,
        )
        for r in ranked
    ]
    rows.extend(
        MorileRow(score=s, multiplier=None, overall=None, rank_label=None, is_priority=s.theme_id in priority_theme_ids)
        for s in unknown
    )
    return rows


# --- The Kent priorities overview ----------------------------------------------------------


@dataclass
class MatrixCell:
    entries: list[str]  # "Priority 1: Domestic abuse", "Cross-cutting", "Part of priority 3 (Safeguarding)"


@dataclass
class MatrixRow:
    district_code: str
    district_name: str
    assessment: StrategicAssessment | None
    cells: list[MatrixCell]


@dataclass
class PrioritiesMatrix:
    plan_year: int
    themes: list
    rows: list[MatrixRow]
    theme_counts: list[int]  # districts with the theme as (or within) a named priority
    years: list[int]
    without_assessment: list[str]  # KCC districts with no assessment (visible to the user) that year


def available_plan_years(user) -> list[int]:
    return sorted(set(visible_assessments(user).values_list("plan_year", flat=True)), reverse=True)


def priorities_matrix(user, plan_year: int, years: list[int] | None = None) -> PrioritiesMatrix:
    """Districts × themes for a plan year: which districts prioritise what (4 queries)."""
    ref = reference_data(data_generation())
    assessments = {a.district.code: a for a in visible_assessments(user).filter(plan_year=plan_year)}
    priorities = list(
        Priority.objects.filter(assessment__in=[a.id for a in assessments.values()])
        .select_related("theme", "assessment__district")
        .prefetch_related("also_covers")
        .order_by("kind", "order", "id")
    )
    themes: dict[int, object] = {}
    for p in priorities:
        themes.setdefault(p.theme_id, p.theme)
        for t in p.also_covers.all():
            themes.setdefault(t.id, t)
    ordered_themes = sorted(themes.values(), key=lambda t: (t.display_order, t.name))
    column = {t.id: i for i, t in enumerate(ordered_themes)}
    rows = []
    missing: list[str] = []
    counts = [0] * len(ordered_themes)
    for district in ref.districts:
        assessment = assessments.get(district.code)
        cells = [MatrixCell([]) for _ in ordered_themes]
        if assessment is not None:
            named_themes: set[int] = set()
            for p in (p for p in priorities if p.assessment_id == assessment.id):
                if p.kind == status.KIND_CROSS_CUTTING:
                    cells[column[p.theme_id]].entries.append("Cross-cutting theme")
                    continue
                cells[column[p.theme_id]].entries.append(f"Priority {p.order}: {p.title}")
                named_themes.add(p.theme_id)
                for t in p.also_covers.all():
                    cells[column[t.id]].entries.append(f"Within priority {p.order}: {p.title}")
                    named_themes.add(t.id)
            for theme_id in named_themes:
                counts[column[theme_id]] += 1
        if assessment is not None:
            rows.append(MatrixRow(district.code, district.name, assessment, cells))
        elif district.in_kcc_area:
            missing.append(district.name)
    return PrioritiesMatrix(
        plan_year=plan_year, themes=ordered_themes, rows=rows, theme_counts=counts,
        years=years if years is not None else available_plan_years(user), without_assessment=missing,
    )
