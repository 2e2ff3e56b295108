"""Who follows what: reading, adding and removing alert subscriptions, and unsubscribing from an email.

Every signed-in person manages their own subscriptions; a subscription names one district or one
comparison group, and one category or every category. What each person is then sent is decided when
the alerts are worked out (``assessments.alerts.collect``), by ``crimedata.roles``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from assessments.alerts.collect import describe
from assessments.models import AlertSubscription
from crimedata.selectors import ReferenceData

DISTRICT_PREFIX = "district:"
GROUP_PREFIX = "group:"
EVERY_CATEGORY = ""


def area_choices(ref: ReferenceData) -> list:
    """Grouped choices for the area: districts, then comparison groups."""
    return [
        ("Districts", [(f"{DISTRICT_PREFIX}{d.code}", d.name) for d in ref.districts]),
        ("Groups of districts", [(f"{GROUP_PREFIX}{g.slug}", g.name) for g in ref.groups]),
    ]


def category_choices(ref: ReferenceData) -> list[tuple[str, str]]:
    return [(EVERY_CATEGORY, "Every category")] + [
        (c.slug, "\u2003" * ref.depth(c.slug) + c.name) for c in ref.in_tree_order()
    ]


@dataclass(frozen=True)
class SubscriptionRow:
    id: int
    description: str


def user_subscriptions(user, ref: ReferenceData) -> list[SubscriptionRow]:
    """The person's subscriptions in the order they were added (one query)."""
    return [SubscriptionRow(id=s.pk, description=describe(s, ref))
            for s in AlertSubscription.objects.filter(user=user).order_by("pk")]


class SubscriptionRefused(Exception):
    """Nothing was added; the message says why."""


def add_subscription(user, *, area: str, category_slug: str, ref: ReferenceData) -> AlertSubscription:
    """Follow ``area`` ("district:E07000110" or "group:kent") for one category or every category ("")."""
    district = group = category = None
    if area.startswith(DISTRICT_PREFIX):
        district = ref.district(area.removeprefix(DISTRICT_PREFIX))
    elif area.startswith(GROUP_PREFIX):
        group = ref.group(area.removeprefix(GROUP_PREFIX))
    if district is None and group is None:
        raise SubscriptionRefused("Choose a district or a group from the list")
    if category_slug:
        category = ref.category(category_slug)
        if category is None:
            raise SubscriptionRefused("Choose a category from the list, or every category")
    with transaction.atomic():
        mine = AlertSubscription.objects.select_for_update().filter(
            user=user, district_id=district.id if district else None, group_id=group.id if group else None)
        area_name = district.name if district else group.name
        for existing in mine:
            if existing.category_id is None:
                raise SubscriptionRefused(
                    f"You already get alerts for every category in {area_name}"
                    + (f", which includes {category.name.lower()}" if category else ""))
            if category is not None and existing.category_id == category.id:
                raise SubscriptionRefused(f"You already get alerts for {category.name.lower()} in {area_name}")
        subscription = AlertSubscription.objects.create(
            user=user, district_id=district.id if district else None, group_id=group.id if group else None,
            category_id=category.id if category else None)
        if category is None:
            # Every category takes in the single ones: keep the list short.
            mine.exclude(pk=subscription.pk).delete()
    return subscription


def remove_subscription(user, pk: int) -> bool:
    """Stop one of the person's own subscriptions; False when it is not theirs (or already gone)."""
    deleted, _ = AlertSubscription.objects.filter(user=user, pk=pk).delete()
    return bool(deleted)


def unsubscribe_all(user) -> int:
    """What an alerts email's unsubscribe link does: every subscription of the person goes."""
    deleted, _ = AlertSubscription.objects.filter(user=user).delete()
    return deleted
