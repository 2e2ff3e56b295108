"""Site-wide template context: name, navigation and the signed-in user's roles."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from crimedata import roles

# (label, URL name, who sees it). Sections appear once their URL exists, so
# each capability adds itself to the navigation by defining its named URL.
NAV = [
    ("Compare districts", "comparison", None),
    ("District profiles", "district-index", None),
    ("Kent overview", "overview", None),
    ("SPC charts", "spc-index", None),
    ("Priorities and plans", "priorities-overview", None),
    ("Enter figures", "entry-home", "staff"),
    ("Open data", "api-docs", None),
    ("Email alerts", "alert-subscriptions", "signed-in"),
]


# The comparison pages share a window and group; their navigation links carry
# them, so moving between pages keeps the chosen period.
KEEP_CHOICES_FOR = {"comparison", "district-index", "overview"}
KEPT_PARAMETERS = ("end", "months", "group")


def _kept_query(request) -> str:
    from urllib.parse import urlencode

    kept = {name: request.GET[name] for name in KEPT_PARAMETERS if request.GET.get(name)}
    return "?" + urlencode(kept) if kept else ""


def _visible(audience: str | None, user) -> bool:
    if audience is None:
        return True
    if audience == "signed-in":
        return user.is_authenticated
    if audience == "staff":
        return roles.has_role(user, roles.OFFICER, roles.ANALYST, roles.ADMINISTRATOR)
    return False


def site(request):
    items = []
    path = request.path
    kept = _kept_query(request)
    for label, name, audience in NAV:
        if not _visible(audience, request.user):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = url != "/" and path.startswith(url)
        if name in KEEP_CHOICES_FOR:
            url += kept
        items.append({"label": label, "url": url, "active": active})
    account_link = None
    for name in ("logout", "login"):
        if (name == "logout") == request.user.is_authenticated:
            try:
                account_link = {"url": reverse(name)}
            except NoReverseMatch:
                pass
    return {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        "nav_items": items,
        "account_link": account_link,
        "user_roles": sorted(roles.role_names(request.user)),
    }
