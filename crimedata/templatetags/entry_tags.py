"""Template filters for the entry and sign-in pages."""

from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


@register.filter
def as_minutes(value) -> str:
    """A timedelta as '30 minutes' (django-axes passes the cool-off as a timedelta)."""
    if not isinstance(value, dt.timedelta):
        return ""
    minutes = int(value.total_seconds() // 60)
    if minutes >= 60 and minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
