"""Test settings: the product's settings with test-only values filled in.

The real settings refuse to start without SECRET_KEY unless DEBUG is on; tests
run with DEBUG off (as Django's test runner does), so a throwaway key is set
here, and only here.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key-not-for-any-deployment")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from csp_portal.settings import *  # noqa: E402,F403

# Whitenoise's manifest storage needs collectstatic; tests serve files directly.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "csp-portal-tests"}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
