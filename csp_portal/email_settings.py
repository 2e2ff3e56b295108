"""Django's email settings from the environment: ``EMAIL_URL``, or the usual ``EMAIL_HOST`` family.

Pure (no Django settings are read), so ``csp_portal/settings.py`` calls it and tests feed it dictionaries.

- ``EMAIL_URL``: ``smtp://user:password@host:port`` (plain; add ``?tls=1`` for STARTTLS),
  ``smtp+tls://...`` (STARTTLS, port 587 by default), ``smtps://...`` or ``smtp+ssl://...`` (TLS from
  the start, port 465 by default), ``console://`` (print each email) or ``dummy://`` (discard).
  A user name or password with ``@``, ``:`` or ``/`` in it is percent-encoded (``%40`` for ``@``).
  ``?timeout=N`` sets the connection timeout in seconds.
- Or ``EMAIL_HOST`` with ``EMAIL_PORT`` (default 25, or 587 with TLS, 465 with SSL), ``EMAIL_HOST_USER``,
  ``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS`` and ``EMAIL_USE_SSL`` (1 or 0).
- Neither: the console backend, which prints every email to the server's output (``make run``).

``EMAIL_TIMEOUT`` (default 30 seconds) stops a cron run hanging on a mail server that does not answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs, unquote, urlsplit

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
DUMMY_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

DEFAULT_TIMEOUT = 30

_SCHEMES = {
    "smtp": (False, False, 25),
    "smtp+tls": (True, False, 587),
    "smtps": (False, True, 465),
    "smtp+ssl": (False, True, 465),
}


class EmailSettingsError(ValueError):
    """An email setting that cannot be used; the message says which and how to fix it."""


def _flag(name: str, raw: str | None) -> bool:
    if raw is None or raw == "":
        return False
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise EmailSettingsError(f"Unexpected value {name}={raw!r}: use 1 or 0.")


def _whole(name: str, raw: str | None, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise EmailSettingsError(f"Unexpected value {name}={raw!r}: use a whole number.") from None
    if value <= 0:
        raise EmailSettingsError(f"Unexpected value {name}={raw!r}: use a whole number above 0.")
    return value


def _base(backend: str, timeout: int) -> dict:
    return {
        "EMAIL_BACKEND": backend,
        "EMAIL_HOST": "localhost",
        "EMAIL_PORT": 25,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": timeout,
    }


def _from_url(url: str, timeout: int) -> dict:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return _base(CONSOLE_BACKEND, timeout)
    if scheme == "dummy":
        return _base(DUMMY_BACKEND, timeout)
    if scheme not in _SCHEMES:
        raise EmailSettingsError(
            f"EMAIL_URL must start with smtp://, smtp+tls://, smtps://, smtp+ssl://, console:// or dummy://, "
            f"not {scheme + '://' if scheme else repr(url)}."
        )
    if not parts.hostname:
        raise EmailSettingsError("EMAIL_URL names no mail server: write it as smtp://user:password@host:port.")
    use_tls, use_ssl, default_port = _SCHEMES[scheme]
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if "tls" in query:
        use_tls = _flag("EMAIL_URL tls", query["tls"])
    if "ssl" in query:
        use_ssl = _flag("EMAIL_URL ssl", query["ssl"])
    if use_tls and use_ssl:
        raise EmailSettingsError("EMAIL_URL asks for both STARTTLS and SSL: choose one.")
    try:
        port = parts.port or default_port
    except ValueError:
        raise EmailSettingsError("EMAIL_URL has a port that is not a number from 1 to 65535.") from None
    return {
        **_base(SMTP_BACKEND, _whole("EMAIL_URL timeout", query.get("timeout"), timeout)),
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }


def email_settings(env: Mapping[str, str]) -> dict:
    """EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS,
    EMAIL_USE_SSL and EMAIL_TIMEOUT for Django, from environment variables (see the module's docstring).

    Raises EmailSettingsError, naming the variable, for a value that cannot be used.
    """
    timeout = _whole("EMAIL_TIMEOUT", env.get("EMAIL_TIMEOUT"), DEFAULT_TIMEOUT)
    url = (env.get("EMAIL_URL") or "").strip()
    if url:
        return _from_url(url, timeout)
    host = (env.get("EMAIL_HOST") or "").strip()
    if not host:
        return _base(CONSOLE_BACKEND, timeout)
    use_tls = _flag("EMAIL_USE_TLS", env.get("EMAIL_USE_TLS"))
    use_ssl = _flag("EMAIL_USE_SSL", env.get("EMAIL_USE_SSL"))
    if use_tls and use_ssl:
        raise EmailSettingsError("EMAIL_USE_TLS and EMAIL_USE_SSL are both on: choose one.")
    default_port = 587 if use_tls else 465 if use_ssl else 25
    return {
        **_base(SMTP_BACKEND, timeout),
        "EMAIL_HOST": host,
        "EMAIL_PORT": _whole("EMAIL_PORT", env.get("EMAIL_PORT"), default_port),
        "EMAIL_HOST_USER": env.get("EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": env.get("EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }
