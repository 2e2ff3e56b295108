"""How every page turns an access rule (``crimedata.roles``) into a response.

Anonymous visitors are sent to sign in; signed-in people without the right
role, or asking for a district that is not theirs, get a 403 page saying
why, never a silent success. Views use ``require`` (a decorator, for rules
about the person) or ``deny_unless`` (for rules about the person and the
thing asked for); nothing else decides how a refusal looks.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from crimedata import roles
from crimedata.selectors import DistrictInfo, ReferenceData


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    """The site's 403 page (templates/403.html, also what Django renders for PermissionDenied) with ``message``."""
    return render(request, "403.html", {"exception": message}, status=403)


def deny_unless(request: HttpRequest, allowed: bool, message: str) -> HttpResponse | None:
    """None when ``allowed``; otherwise a sign-in redirect for visitors, and PermissionDenied (a 403 page
    with ``message``) for a signed-in person."""
    if allowed:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(message)


def require(predicate, message: str):
    """Decorator: sign-in required, then ``predicate(user)``; PermissionDenied inside becomes a 403 page."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                return forbidden(request, message)
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied as denied:
                return forbidden(request, str(denied) or message)

        return wrapped

    return decorator


STAFF_ONLY = (
    "Only community safety officers, county analysts and administrators can enter figures. "
    "If you need to, ask a county administrator to give you the right role."
)


def editable_districts(user, ref: ReferenceData) -> list[DistrictInfo]:
    """The districts whose figures the user may change, in name order."""
    ids = roles.editable_district_ids(user)
    return [d for d in ref.districts if ids is None or d.id in ids]


def district_for_entry(user, ref: ReferenceData, code: str) -> DistrictInfo:
    """The district named in a URL, if the user may change its figures (404 unknown, 403 not theirs)."""
    district = ref.district(code)
    if district is None:
        raise Http404(f"There is no district with the code {code}.")
    if not roles.can_edit_district(user, district.id):
        raise PermissionDenied(
            f"You can enter and change figures only for your own district, and {district.name} is not one of "
            "yours. If that is wrong, ask a county administrator to add it to your account."
        )
    return district
