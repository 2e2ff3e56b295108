"""Roles (Django groups) and what each may do. See README "Who can do what".

Every access and audience rule is decided here, in one place, from group
membership and the user's district assignments, so views, page builders and
services ask the same questions: who may see provisional figures, who sees
true small numbers, who may read drafts, who may change which district's
figures, plans and texts. ``crimedata.access`` turns a refusal into a response.
"""

from __future__ import annotations

from django.conf import settings

OFFICER = "Community safety officer"
ANALYST = "County analyst"
ADMINISTRATOR = "Administrator"
PARTNER = "Partner"
SCRUTINY = "Scrutiny member"

ALL_ROLES = (OFFICER, ANALYST, ADMINISTRATOR, PARTNER, SCRUTINY)

# Views of small numbers (docs/methods.md, "Small numbers"): the public's, the partners' (the same
# suppression, for signed-in readers) and the analysts' (true values, each marked "suppressed in public").
# PARTNER_VIEW, not PARTNER: that name is the Partner role above.
PUBLIC = "public"
PARTNER_VIEW = "partner"
ANALYST_VIEW = "analyst"
SMALL_NUMBER_VIEWS = (PUBLIC, PARTNER_VIEW, ANALYST_VIEW)


def _load_access(user) -> None:
    """Read the user's roles and districts together (one query), once per request.

    Both are needed on most signed-in pages (what to show, what may be
    edited); a LEFT JOIN over groups and memberships returns them in one go.
    """
    from django.contrib.auth import get_user_model

    rows = get_user_model().objects.filter(pk=user.pk).values_list("groups__name", "district_memberships__district_id")
    user._csp_role_names = {name for name, _ in rows if name}
    user._csp_district_ids = {district for _, district in rows if district is not None}
    if user.is_superuser:
        user._csp_role_names.add(ADMINISTRATOR)


def role_names(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    if getattr(user, "_csp_role_names", None) is None:
        _load_access(user)
    return user._csp_role_names


def has_role(user, *roles: str) -> bool:
    return bool(role_names(user) & set(roles))


def is_administrator(user) -> bool:
    return has_role(user, ADMINISTRATOR)


def is_county_analyst(user) -> bool:
    """County analysts and administrators work across every district."""
    return has_role(user, ANALYST, ADMINISTRATOR)


def can_see_provisional(user) -> bool:
    """Provisional figures are for signed-in partners and staff, never the public (domain.md §8).

    Scrutiny members read final figures only.
    """
    if has_role(user, OFFICER, ANALYST, ADMINISTRATOR, PARTNER):
        return True
    return settings.SHOW_PROVISIONAL_TO_PUBLIC and not getattr(user, "is_authenticated", False)


def editable_district_ids(user) -> set[int] | None:
    """District ids whose figures and plans the user may change.

    None means every district (county analysts and administrators); an empty
    set means none.
    """
    if is_county_analyst(user):
        return None
    if not has_role(user, OFFICER):
        return set()
    if getattr(user, "_csp_district_ids", None) is None:
        _load_access(user)
    return user._csp_district_ids


def can_edit_district(user, district_id: int) -> bool:
    ids = editable_district_ids(user)
    return ids is None or district_id in ids


# --- Data entry (issue 4) ------------------------------------------------------------------
# The rules below are the "Who can do what" table in the README; the permission
# matrix test (tests/integration/test_permissions_matrix.py) checks every page
# against them.


def is_staff_member(user) -> bool:
    """Officers, county analysts and administrators: the people who keep figures up to date."""
    return has_role(user, OFFICER, ANALYST, ADMINISTRATOR)


def can_enter_figures(user) -> bool:
    """May open the entry pages at all (which districts is decided by ``can_edit_district``)."""
    return is_staff_member(user)


def can_edit_category(user, entry: str) -> bool:
    """Officers enter the categories districts supply; county-wide loads are the analysts'."""
    from crimedata.reference import ENTRY_DISTRICT

    return is_county_analyst(user) or (has_role(user, OFFICER) and entry == ENTRY_DISTRICT)


def can_sign_off(user) -> bool:
    """County analysts (and administrators) sign periods off."""
    return is_county_analyst(user)


def can_correct_signed_off(user) -> bool:
    """Only administrators change a figure in a signed-off period, and only with a reason."""
    return is_administrator(user)


def can_read_history(user) -> bool:
    """The change history names people and shows provisional values: staff and partners only."""
    return getattr(user, "is_authenticated", False) and has_role(user, OFFICER, ANALYST, ADMINISTRATOR, PARTNER)


# --- Small numbers, drafts and texts -----------------------------------------------------------


def small_number_view(user) -> str:
    """Which view of small numbers a user gets in tables across districts: "analyst", "partner" or "public".

    County analysts and administrators, who load and check the data, see true values; other signed-in
    staff, partners and scrutiny members get the partner view (officers too: a table of every district's
    small numbers would not be protected); everyone else the public view.
    """
    if is_county_analyst(user):
        return ANALYST_VIEW
    if has_role(user, OFFICER, PARTNER, SCRUTINY):
        return PARTNER_VIEW
    return PUBLIC


def check_small_number_view(view: str) -> str:
    if view not in SMALL_NUMBER_VIEWS:
        raise ValueError(f"the view of small numbers must be one of {', '.join(SMALL_NUMBER_VIEWS)}, not {view!r}.")
    return view


def sees_true_small_numbers(view: str) -> bool:
    """True values in tables across districts: the analysts' view only."""
    return check_small_number_view(view) == ANALYST_VIEW


def commentary_view(view: str) -> str:
    """The view of small numbers that generated text is written from: the public's, or the partners' for
    everyone else, so that a text an analyst edits never quotes a count partners may not see."""
    return PUBLIC if check_small_number_view(view) == PUBLIC else PARTNER_VIEW


def sees_true_series_values(user, district_id: int) -> bool:
    """Small numbers in one district's own series (an SPC chart) are shown to county analysts and the
    district's own officers: a single series has no totals across districts, and they entered the figures."""
    return can_edit_district(user, district_id)


def can_view_drafts(user) -> bool:
    """Draft assessments are for signed-in people with a role; the public sees signed-off ones."""
    return bool(role_names(user))


def can_edit_district_texts(user, district_id: int) -> bool:
    """Generated commentary, SPC step changes and plans: the district's officers, county analysts and
    administrators."""
    return getattr(user, "is_authenticated", False) and can_edit_district(user, district_id)


def can_edit_shared_plan_reference(user) -> bool:
    """Themes, agencies and MoRiLE multipliers are shared by every district: county analysts only."""
    return is_county_analyst(user)


def can_import_county_data(user) -> bool:
    """County-wide loads (police.uk, LSOA lookups): county analysts and administrators."""
    return is_county_analyst(user)
