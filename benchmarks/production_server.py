"""CSP Portal served as production serves it, on this machine only, for the serving benchmarks.

`benchmarks/load.py` (make load) and `benchmarks/first_visit.py` (make first-visit) both use
`production_server()`: the same path as .ci/production-check, kept running for a measurement.

- PostgreSQL on 127.0.0.1:5432: a database of the caller's naming is created when missing,
  migrated, and given the Kent demo data with `load_demo` (run with DEBUG on, so that the
  demo sign-ins exist; nothing else is run with DEBUG on);
- Redis on 127.0.0.1:6379 as the cache (CACHE_URL), its database emptied first so the run
  starts with cold pages, as after an import;
- `collectstatic` with the manifest storage (hashed names, gzip and brotli), from the build
  `make assets` left in static/build, into a folder under the system's temporary directory
  named after a digest of static/ (compressing takes minutes on a busy machine, so a later
  run with the same files reuses it);
- gunicorn with gunicorn.conf.py (the production serving settings) and DEBUG=0, a generated
  SECRET_KEY, ALLOWED_HOSTS=127.0.0.1 and BEHIND_TLS_PROXY=1, bound to 127.0.0.1 only.
  Requests carry `X-Forwarded-Proto: https`, as the TLS proxy in front of gunicorn adds.

Nothing here sends a request anywhere but 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PSQL = ["psql", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-qtA"]
# What the TLS proxy in front of gunicorn adds to every request.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
DEMO_PASSWORD = "kent-demo-insecure-password"  # demo/management/commands/load_demo.py


class SetupError(RuntimeError):
    """The server could not be prepared; the message says what to do."""


@dataclass
class Server:
    url: str  # http://127.0.0.1:PORT
    log: Path  # gunicorn's output
    pid: int
    gunicorn_args: tuple[str, ...]

    def log_tail(self, lines: int = 40) -> str:
        """gunicorn's and Django's messages, the access log's lines left out."""
        try:
            text = self.log.read_text(errors="replace").splitlines()
            return "\n".join([line for line in text if '"GET ' not in line and '"POST ' not in line][-lines:])
        except OSError:
            return ""


def checkout() -> str:
    """The branch and commit measured (and whether files were changed since), for the report."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    dirty = " with uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else ""
    return f"{git('rev-parse', '--abbrev-ref', 'HEAD')} at {git('rev-parse', '--short', 'HEAD')}{dirty}"


def check_database_name(name: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,62}", name) or name in {"csp_portal", "postgres", "template0", "template1"}:
        raise SetupError(
            f"Database name {name!r}: use a lower-case name of your own (not csp_portal, the product's); "
            "it is created, migrated and given the demo data when missing."
        )
    return name


def check_cache_url(url: str) -> str:
    if not re.fullmatch(r"redis://(127\.0\.0\.1|localhost):\d+/\d+", url):
        raise SetupError(f"CACHE_URL {url!r}: use redis://127.0.0.1:6379/<a database number of your own>.")
    return url


def _run(command: Sequence[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SetupError(f"{what} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(database: str, cache_url: str, static_root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "GUNICORN_", "WEB_CONCURRENCY"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        BEHIND_TLS_PROXY="1",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        CACHE_URL=cache_url,
        STATIC_ROOT=str(static_root),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="csp_portal.settings",
    )
    return env


def prepare_database(database: str, env: dict[str, str], say) -> None:
    """Create the database when missing, migrate it and load the demo data (idempotent)."""
    if shutil.which("psql") is None or subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]).returncode:
        raise SetupError("PostgreSQL is not reachable on 127.0.0.1:5432 (psql and pg_isready are needed).")
    exists = _run([*PSQL, "-d", "postgres", "-c", f"SELECT 1 FROM pg_database WHERE datname = '{database}'"], env,
                  "Looking for the database").strip()
    if not exists:
        say(f"Creating PostgreSQL database {database}")
        _run([*PSQL, "-d", "postgres", "-c", f"CREATE DATABASE {database}"], env, "CREATE DATABASE")
    say(f"Migrating {database} and loading the demo data (once; later runs find it loaded)")
    _run([PY, "manage.py", "migrate", "--no-input", "-v", "0"], env, "migrate")
    # DEBUG on for this command only: load_demo creates the demo sign-ins only then.
    _run([PY, "manage.py", "load_demo"], {**env, "DEBUG": "1"}, "load_demo")


def collected_static_root() -> Path:
    """Where static/ as it is now is collected: named after every file's path, size and time."""
    static = ROOT / "static"
    if not (static / "build" / "vendor" / "plotly-charts.min.js").exists():
        raise SetupError("static/build has no plotly-charts.min.js: run `make assets` first.")
    digest = hashlib.sha256()
    files = [Path(folder) / name for folder, _, names in os.walk(static, followlinks=True) for name in names]
    for path in sorted(files):  # static/build is a symbolic link in a git worktree: followed
        stat = path.stat()
        digest.update(f"{path.relative_to(static)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return Path(tempfile.gettempdir()) / f"csp-portal-collected-{digest.hexdigest()[:16]}"


def collect_static(env: dict[str, str], say) -> None:
    root = Path(env["STATIC_ROOT"])
    if (root / "staticfiles.json").exists():
        say(f"Static files already collected in {root}")
        return
    say(f"collectstatic with the manifest storage (hashed names, gzip and brotli) into {root}")
    _run([PY, "manage.py", "collectstatic", "--no-input", "-v", "0"], {**env, "STATIC_ROOT": f"{root}.partial"},
         "collectstatic")
    shutil.rmtree(root, ignore_errors=True)
    os.replace(f"{root}.partial", root)
    # Earlier builds' copies: the three newest are kept (comparing two checkouts reuses them).
    copies = sorted(root.parent.glob("csp-portal-collected-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in copies[3:]:
        shutil.rmtree(old, ignore_errors=True)


def empty_cache(cache_url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(cache_url).flushdb()
    except redis.RedisError as error:
        raise SetupError(f"Redis at {cache_url} is not reachable: {error}") from error


def request(url: str, headers: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, bytes]:
    if not url.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise ValueError(f"{url}: the benchmarks only request this machine's loopback address")
    req = urllib.request.Request(url, headers={**PROXY_HEADERS, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextlib.contextmanager
def production_server(
    database: str,
    cache_url: str,
    *,
    gunicorn_args: Sequence[str] = (),
    cold_cache: bool = True,
    say=print,
) -> Iterator[Server]:
    """Prepare everything, start gunicorn, yield the running server, stop it whatever happens."""
    check_database_name(database)
    check_cache_url(cache_url)
    work = Path(tempfile.mkdtemp(prefix="csp-serve-"))
    process = None
    try:
        env = production_env(database, cache_url, collected_static_root())
        prepare_database(database, env, say)
        collect_static(env, say)
        if cold_cache:
            say(f"Emptying the cache ({cache_url}): the run starts with cold pages")
            empty_cache(cache_url)
        port = _free_port()
        args = ("--config", str(ROOT / "gunicorn.conf.py"), *gunicorn_args)
        log = work / "gunicorn.log"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [PY, "-m", "gunicorn", "csp_portal.wsgi", "--bind", f"127.0.0.1:{port}", *args],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Server(url=f"http://127.0.0.1:{port}", log=log, pid=process.pid, gunicorn_args=args)
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise SetupError(f"gunicorn exited before it answered:\n{server.log_tail()}")
            try:
                status, _ = request(server.url + "/sign-in/", timeout=5)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SetupError(f"gunicorn did not answer within 90 s:\n{server.log_tail()}")
            time.sleep(0.5)
        say(f"gunicorn {' '.join(args[2:]) or '(gunicorn.conf.py as it is)'} on {server.url}")
        yield server
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(work, ignore_errors=True)
