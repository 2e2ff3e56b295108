"""Generated evidence paragraphs for the priorities of a strategic assessment (scrutiny summary and assessment page).

Each priority with linked indicator categories gets a paragraph written from
the same comparison its evidence table uses (the assessment's window against
the Kent districts), with the exact change test, the comparison with the Kent
rate and small-number suppression (assessments.commentary.text.priority_paragraph):
"Evidence for the priority “Domestic abuse” in Tunbridge Wells, in the 12
months to September 2016: domestic abuse incidents: 1,234, up 56 (+4.8%) on
the year before, no significant change; above the Kent average but not
significantly." Officers of the district, analysts and administrators can
edit it (assessments.views.commentary.edit_commentary); the edit is kept
and marked when the figures change.

Queries: the commentary edits (1) for a whole page; the data generation is
the one the evidence table read, and the comparison comes from the cache the
evidence table filled.
"""

from __future__ import annotations

from dataclasses import replace

from django.urls import reverse

from assessments.commentary.edits import resolve_many
from assessments.commentary.keys import priority_key, priority_text
from assessments.commentary.text import GeneratedText
from assessments.comparison.context import comparison_context
from assessments.comparison.suppression import PublishedComparison, disclose_trend, published_for
from assessments.comparison.trend import earlier_years
from assessments.models import Priority
from assessments.plans.selectors import EVIDENCE_GROUP, visible_assessments
from crimedata import roles
from crimedata.periods import Window
from crimedata.selectors import data_generation, reference_data


def _context(window: Window, user, generation: int | None = None):
    if generation is None:
        generation = data_generation()
    ref = reference_data(generation)
    try:
        # The evidence table's windows, so the aggregation it cached is reused.
        return comparison_context(
            window, EVIDENCE_GROUP, include_provisional=roles.can_see_provisional(user),
            extra_windows=earlier_years(window), ref=ref, generation=generation,
        )
    except KeyError:
        return None


def _published(context, slugs, audience: str) -> dict[str, PublishedComparison]:
    out = {}
    for slug in dict.fromkeys(slugs):
        if context.ref.category(slug) is None:
            continue
        out[slug] = published_for(context, slug, audience)
    return out


def suppress_evidence(page, context, audience: str) -> None:
    """Small-number suppression for the evidence tables (the headline figures) of a plan page.

    A suppressible category's figures are replaced by what its comparison
    publishes for this audience: a hidden count shows "<5" or "*"
    (``count_display``), and its rate, change and position are withheld; a
    3-year trend point is withheld where that year's comparison hides the
    count. Analysts keep the true values, marked ``suppressed_in_public``.
    """
    district = page.assessment.district.code
    hide = not roles.sees_true_small_numbers(audience)
    done: set[int] = set()
    codes = [code for code, _ in context.districts]
    values = context.aggregation.values
    for view in page.priorities:
        for headline in view.headlines:
            category = context.ref.category(headline.slug)
            if id(headline) in done or category is None or not category.suppress_below or headline.is_share:
                continue
            done.add(id(headline))
            published = published_for(context, headline.slug, audience)
            row = published.row(district)
            if row is None:
                continue
            headline.suppressed_in_public = bool(row.get("suppressed_in_public"))
            headline.count_display = row.get("count_display")
            headline.previous_count_display = row.get("previous_count_display")
            if not hide:
                continue
            if headline.count_display:
                headline.count = headline.rate = headline.rank = headline.rank_label = None
            else:
                headline.rank, headline.rank_label = row.get("rank"), row.get("rank_label")
            headline.ranked_of = published.ranked
            if headline.previous_count_display:
                headline.previous_count = headline.previous_rate = None
            if headline.count_display or headline.previous_count_display:
                headline.change = headline.change_pct = headline.direction = None
            frame = values[(values["category"] == headline.slug) & values["district"].isin(codes)]
            frame = frame.rename(columns={"window": "end", "value": "count"})
            hidden = disclose_trend(frame, district, suppress_below=category.suppress_below, audience=audience)
            oldest_first = len(headline.trend) - 1
            withheld = [(hidden.get(oldest_first - i) or {}).get("count_display") for i in range(len(headline.trend))]
            headline.hidden_windows = [p.window for p, w in zip(headline.trend, withheld) if w]
            headline.trend = [replace(p, value=None) if w else p for p, w in zip(headline.trend, withheld)]


def _text(priority: Priority, categories, published, group, assessment) -> GeneratedText:
    district = assessment.district
    return priority_text(
        priority.title, categories, published, district_code=district.code, district_name=district.name,
        window=assessment.window, group_slug=group.slug, group_name=group.name,
    )


def add_priority_commentary(page, user) -> None:
    """Give each priority view of a plans.selectors.PlanPage its paragraph: ``view.commentary`` (a
    ResolvedText, or None when no category is linked) and ``view.commentary_url`` (None unless the reader
    may edit it)."""
    views = [view for view in page.priorities if view.categories]
    for view in page.priorities:
        view.commentary = None
        view.commentary_url = None
        view.commentary_id = f"commentary-priority-{view.priority.pk}"
    if not views:
        return
    assessment = page.assessment
    context = _context(assessment.window, user, page.generation)
    if context is None:
        return
    view_of_small_numbers = roles.small_number_view(user)
    suppress_evidence(page, context, view_of_small_numbers)
    published = _published(context, [c.slug for view in views for c in view.categories],
                           roles.commentary_view(view_of_small_numbers))
    texts = {priority_key(view.priority.pk): _text(view.priority, view.categories, published, context.group,
                                                   assessment)
             for view in views}
    resolved = resolve_many(texts, user=user)
    can_edit = roles.can_edit_district_texts(user, assessment.district_id)
    for view in views:
        view.commentary = resolved[priority_key(view.priority.pk)]
        if can_edit:
            view.commentary_url = reverse("priority-commentary", args=[view.priority.pk])


def priority_generated(pk: int, user) -> tuple[Priority, str, GeneratedText] | None:
    """(priority, key, generated text) for the edit page, or None when the user cannot see it or it has no
    linked categories."""
    priority = (
        Priority.objects.filter(pk=pk, assessment__in=visible_assessments(user))
        .select_related("assessment__district").prefetch_related("categories").first()
    )
    if priority is None:
        return None
    categories = list(priority.categories.all())
    if not categories:
        return None
    context = _context(priority.assessment.window, user)
    if context is None:
        return None
    published = _published(context, [c.slug for c in categories], roles.commentary_view(roles.small_number_view(user)))
    return priority, priority_key(priority.pk), _text(priority, categories, published, context.group,
                                                      priority.assessment)
