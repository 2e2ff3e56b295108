"""One quarter's alerts for each subscriber, worked out from the same comparisons and SPC charts the pages show.

The quarter's comparisons are the 12 months to its last month against the 12 months before (what the
comparison page shows for ``end=<quarter's last month>&months=12``), and, for "now significantly worse
than the group", also the 12 months to the previous quarter's last month. A district subscription is
compared within the district's own group (Kent, or Kent and Medway for Medway); a group subscription
within that group, for each of its districts.

Who sees what is decided in ``crimedata.roles``, as on the pages: someone who may not see provisional
figures gets alerts worked out from final figures only (a window that needs a provisional month has no
figure, so no alert); small numbers are withheld by ``published_for`` exactly as the comparison page
withholds them for that reader, and an SPC chart with small numbers is left out for readers the chart
page withholds it from. Comparisons and charts are built once per audience and shared by every
subscriber with the same view, and cached per data generation like the pages'.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
from django.conf import settings
from django.urls import reverse

from assessments.alerts.rules import (
    POSITION,
    RULE_ORDER,
    WORSE_THAN_GROUP,
    Alert,
    change_alert,
    group_alert,
    position_alert,
    spc_alert,
)
from assessments.comparison.context import comparison_context
from assessments.comparison.suppression import PublishedComparison, published_for
from assessments.models import AlertSubscription, StepChange
from assessments.selection import default_group_for
from assessments.spc.chart import SpcChart, SpcOptions, build_chart, step_change_infos, withhold_small_numbers
from assessments.spc.page import chart_url
from assessments.spc.series import SERIES_COLUMNS, default_grain, district_series, every_category_series
from assessments.wording import group_short_name
from crimedata import roles
from crimedata.entry import Quarter
from crimedata.periods import Window, format_month
from crimedata.selectors import CategoryInfo, DistrictInfo, ReferenceData, data_generation, reference_data


@dataclass(frozen=True)
class Coverage:
    """What one subscription covers: (district, comparison group) pairs and the categories (None: all)."""

    description: str
    pairs: tuple[tuple[DistrictInfo, str], ...]
    categories: tuple[CategoryInfo, ...] | None


def describe(subscription: AlertSubscription, ref: ReferenceData) -> str:
    """'Maidstone, every category', 'West Kent (3 districts), violent crime'."""
    if subscription.district_id is not None:
        district = next((d for d in ref.districts if d.id == subscription.district_id), None)
        area = district.name if district else "a district that no longer exists"
    else:
        group = next((g for g in ref.groups if g.id == subscription.group_id), None)
        area = (f"{group.name} ({len(group.district_codes)} district{'s' if len(group.district_codes) != 1 else ''})"
                if group else "a group that no longer exists")
    category = next((c for c in ref.categories if c.id == subscription.category_id), None)
    return f"{area}, {category.name if category else 'every category'}"


def coverage(subscription: AlertSubscription, ref: ReferenceData) -> Coverage:
    if subscription.district_id is not None:
        districts = [d for d in ref.districts if d.id == subscription.district_id]
        pairs = tuple((d, default_group_for(d)) for d in districts)
    else:
        group = next((g for g in ref.groups if g.id == subscription.group_id), None)
        pairs = () if group is None else tuple((d, group.slug) for d in ref.districts if d.code in group.district_codes)
    categories = None
    if subscription.category_id is not None:
        categories = tuple(c for c in ref.categories if c.id == subscription.category_id)
    return Coverage(description=describe(subscription, ref), pairs=pairs, categories=categories)


def comparison_path(category: CategoryInfo, window: Window, group_slug: str, district: DistrictInfo) -> str:
    """The comparison page that shows a comparison alert, with the district highlighted."""
    query = urlencode({"end": format_month(window.end), "months": window.months, "group": group_slug,
                       "highlight": district.code})
    return f"{reverse('comparison-category', args=[category.slug])}?{query}"


def sort_key(alert: Alert) -> tuple:
    return (alert.district.name, alert.category.display_order, alert.category.name, RULE_ORDER[alert.rule])


class QuarterAlerts:
    """Works out a quarter's alerts, sharing comparisons and charts between readers with the same view."""

    def __init__(self, quarter: Quarter, *, ref: ReferenceData | None = None, generation: int | None = None):
        self.quarter = quarter
        self.generation = data_generation() if generation is None else generation
        self.ref = ref or reference_data(self.generation)
        self.window = Window.ending(quarter.window.end, 12)
        self.previous_window = Window.ending(quarter.window.end - 3, 12)
        self._published: dict[tuple, PublishedComparison] = {}
        self._series: dict[tuple, dict[str, pd.DataFrame]] = {}
        self._charts: dict[tuple, SpcChart] = {}
        self._step_changes: dict[tuple[int, int], list] | None = None

    # --- What the pages compute --------------------------------------------------------------------------

    def published(self, window: Window, group_slug: str, category: CategoryInfo, *, include_provisional: bool,
                  view: str) -> PublishedComparison:
        key = (window, group_slug, category.slug, include_provisional, view)
        if key not in self._published:
            ctx = comparison_context(window, group_slug, include_provisional=include_provisional, ref=self.ref,
                                     generation=self.generation)
            self._published[key] = published_for(ctx, category.slug, view)
        return self._published[key]

    def _stored_step_changes(self, district: DistrictInfo, category: CategoryInfo) -> list:
        if self._step_changes is None:
            self._step_changes = {}
            for row in StepChange.objects.select_related("created_by"):
                self._step_changes.setdefault((row.district_id, row.category_id), []).append(row)
        return self._step_changes.get((district.id, category.id), [])

    def chart(self, district: DistrictInfo, category: CategoryInfo, *, include_provisional: bool) -> SpcChart:
        """The chart the SPC page draws with its default options, for readers of this audience."""
        key = (district.code, category.slug, include_provisional)
        if key not in self._charts:
            grain = default_grain(category)
            split_key = (district.code, grain, include_provisional)
            if split_key not in self._series:
                values, windows = district_series(self.ref, district.code, grain,
                                                  include_provisional=include_provisional, generation=self.generation)
                self._series[split_key] = every_category_series(values, windows)
            series = self._series[split_key].get(category.slug, pd.DataFrame(columns=SERIES_COLUMNS))
            self._charts[key] = build_chart(
                series, district=district, category=category, options=SpcOptions(grain=grain),
                step_changes=step_change_infos(self._stored_step_changes(district, category)),
                run_length=settings.SPC_RUN_LENGTH, trend_length=settings.SPC_TREND_LENGTH,
            )
        return self._charts[key]

    # --- Alerts ------------------------------------------------------------------------------------------

    def spc(self, user, district: DistrictInfo, category: CategoryInfo, include_provisional: bool) -> Alert | None:
        chart = self.chart(district, category, include_provisional=include_provisional)
        # withhold_small_numbers marks the chart it is given: each reader gets a copy.
        chart = withhold_small_numbers(dataclasses.replace(chart), user)
        if chart.withheld or not chart.has_data:
            return None
        return spc_alert(chart.columns, self.quarter.window, district=district, category=category,
                         path=chart_url(district, category, chart.options))

    def comparisons(self, district: DistrictInfo, group_slug: str, category: CategoryInfo, *,
                    include_provisional: bool, view: str) -> list[Alert]:
        group = self.ref.group(group_slug)
        if group is None or district.code not in group.district_codes:
            return []
        now = self.published(self.window, group_slug, category, include_provisional=include_provisional, view=view)
        row = now.row(district.code)
        if row is None:
            return []
        before = self.published(self.previous_window, group_slug, category,
                                include_provisional=include_provisional, view=view)
        area = group_short_name(group.name)
        common = dict(district=district, category=category, window=self.window, group_slug=group_slug,
                      path=comparison_path(category, self.window, group_slug, district))
        found = [
            change_alert(row, **common),
            position_alert(row, **common, ranked=now.ranked, group_area=area, base=now.comparison.base),
            group_alert(row, before.row(district.code), **common, previous_window=self.previous_window,
                        group_area=area, base=now.comparison.base),
        ]
        return [a for a in found if a is not None]

    def for_user(self, user, coverages: Iterable[Coverage]) -> list[Alert]:
        """Every alert for ``user``'s subscriptions this quarter, each once, by district, category and rule."""
        include_provisional = roles.can_see_provisional(user)
        view = roles.small_number_view(user)
        found: dict[tuple, Alert] = {}
        for cover in coverages:
            categories = cover.categories if cover.categories is not None else self.ref.categories
            for district, group_slug in cover.pairs:
                for category in categories:
                    alerts = [self.spc(user, district, category, include_provisional)]
                    alerts += self.comparisons(district, group_slug, category,
                                               include_provisional=include_provisional, view=view)
                    for alert in alerts:
                        if alert is not None:
                            found.setdefault(alert_key(alert), alert)
        return sorted(found.values(), key=sort_key)


def alert_key(alert: Alert) -> tuple:
    """An alert once per email: a change or an SPC point is the district's own, whatever group it came
    through; a position or a comparison with the group belongs to the group."""
    group = alert.group_slug if alert.rule in (POSITION, WORSE_THAN_GROUP) else None
    return (alert.rule, alert.district.code, alert.category.slug, group)


def subscriptions_by_user(users: Sequence | None = None) -> dict[int, list[AlertSubscription]]:
    """Every subscription of active people (or of ``users``), per user id (one query)."""
    qs = AlertSubscription.objects.filter(user__is_active=True).select_related("user").order_by("user_id", "pk")
    if users is not None:
        qs = qs.filter(user__in=list(users))
    out: dict[int, list[AlertSubscription]] = {}
    for row in qs:
        out.setdefault(row.user_id, []).append(row)
    return out
