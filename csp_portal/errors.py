"""The site's own 404 and 500 pages (Django's defaults are enough for 403: see templates/403.html).

404: Django's default handler hands the template the exception's class name when the
address matched no route ("Resolver404"); this one passes the message only when a view
wrote one for people ("There is no district with the code X.").

500: rendered without the request and without the database, which may be what failed:
the context is built from settings and URL names only (the public navigation), never
from the context processors (they read the session and the user's roles). If even that
fails (a missing static file in the manifest, say), a plain page is returned, so the
handler itself never raises.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse

from csp_portal.context_processors import NAV

logger = logging.getLogger(__name__)

PLAIN_500 = (
    "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Sorry, there is a problem with the "
    "service</title></head><body><h1>Sorry, there is a problem with the service</h1><p>Try again later.</p>"
    "<p><a href=\"/\">Go to the home page</a></p></body></html>"
)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = exception.args[0] if exception is not None and exception.args else None
    context = {"message": message if isinstance(message, str) else ""}
    return HttpResponseNotFound(loader.render_to_string("404.html", context, request=request))


def public_navigation() -> list[dict]:
    """The navigation everyone sees, from URL names alone (no request, no database)."""
    items = []
    for label, name, audience in NAV:
        if audience is not None:
            continue
        try:
            items.append({"label": label, "url": reverse(name), "active": False})
        except NoReverseMatch:
            continue
    return items


def server_error_context() -> dict:
    return {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        "nav_items": public_navigation(),
    }


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        body = loader.render_to_string("500.html", server_error_context())
    except Exception:  # noqa: BLE001 - the error page must not raise while reporting an error
        logger.exception("The 500 page could not be rendered; a plain page was sent instead.")
        body = PLAIN_500
    return HttpResponseServerError(body)


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for beside JSON, PDF and CSV responses: the collected icon.

    A temporary redirect, because the collected name changes whenever the icon does.
    """
    response = redirect(static("images/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
