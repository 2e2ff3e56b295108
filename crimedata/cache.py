"""The one way to cache a computed result: a key per data generation, and get-or-build.

Every import and edit bumps the data generation (``crimedata.services``), and
every key built here starts with it, so a cached figure can never outlive the
figures it came from (the djangoproject.com dashboard's generation key).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

T = TypeVar("T")

# Memcached and Redis dislike long keys: 36 rolling windows would make one of ~500 characters.
_LONGEST_KEY = 200


def cache_key(name: str, *parts) -> str:
    """``name:part:part...``, hashed past 200 characters. ``name`` carries a version ("trend:v2")."""
    key = ":".join([name, *(str(int(p)) if isinstance(p, bool) else str(p) for p in parts)])
    if len(key) <= _LONGEST_KEY:
        return key
    return f"{name}:{hashlib.sha256(key.encode()).hexdigest()}"


def cached(key: str, build: Callable[[], T], timeout: int | None = None) -> T:
    """The cached value for ``key``, built and stored on a miss (None is never cached)."""
    value = cache.get(key)
    if value is None:
        value = build()
        if value is not None:
            cache.set(key, value, settings.COMPARISON_CACHE_SECONDS if timeout is None else timeout)
    return value
