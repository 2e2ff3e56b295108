"""gunicorn's settings for CSP Portal in production (read by `gunicorn csp_portal.wsgi`).

gunicorn reads ./gunicorn.conf.py from the directory it starts in, so the documented command,
run from the repository, uses these settings; options given on its command line win over
them, and each one here can also be set by the environment variable named beside it.

Why these values (measured with `make load`, docs/performance.md "Serving"):

- gthread workers: each worker process runs several threads. A page that has to be computed
  (a cold cache after an import) takes a thread, not the whole worker, so the quick pages
  (cached pages, the API, static files) are still answered beside it. With gunicorn's default
  sync workers every request queued behind the slowest one in its process: 50 clients saw a
  median of 5.3 s although one warm request takes 0.01-0.18 s.
- Processes follow the cores (the pages are Python work, which one process does one thread at
  a time): cores + 1, so a process waiting on PostgreSQL or Redis leaves no core idle.
  Threads are few per process: more threads than the pages' waits can fill only add
  contention for the process's interpreter lock and memory.
- Each thread holds its own PostgreSQL connection, kept between requests (CONN_MAX_AGE, with
  health checks, in csp_portal/settings.py), so at most workers x threads connections.
- Workers are replaced after a bounded number of requests, so a page that once needed a lot of
  memory does not keep it for the life of the server.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    try:
        return int(raw) if raw.strip() else default
    except ValueError as exc:
        raise SystemExit(f"gunicorn.conf.py: {name}={raw!r} is not a whole number") from exc


worker_class = "gthread"
# WEB_CONCURRENCY is the name gunicorn and most platforms use for the number of processes.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 4)

# A worker that has not told the arbiter it is alive for this long is killed and replaced
# (with gthread the worker's main loop reports, so a long request alone does not trigger it).
timeout = _int("GUNICORN_TIMEOUT", 60)
# On a restart or a deploy, requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Seconds an idle connection from the TLS proxy (or a browser) is kept open for its next request.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Replace each worker after about this many requests (the jitter keeps them from all
# restarting at once); 0 turns it off.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Load Django once before the workers fork: workers start in a fraction of a second and share
# the imported code's memory. No database or Redis connection is opened at import.
preload_app = True

# The workers' heartbeat files on a memory file system where there is one (a disk-backed /tmp
# can stall the heartbeat under heavy I/O and get healthy workers killed).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Access and error logs to standard output and error, for the service manager to collect.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"

# No control socket (gunicorn 25.1 opens one at $HOME/.gunicorn/gunicorn.ctl by default, the
# same path for every gunicorn the user runs, so two on one machine take it from each other).
# The service manager's signals do what it offers: HUP to reload, TERM to stop.
control_socket_disable = True
