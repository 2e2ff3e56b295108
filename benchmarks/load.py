"""Loopback load: N clients for S seconds against CSP Portal served as in production.

    make load                                  # 50 clients, 60 s, database csp_load, Redis db 5
    .venv/bin/python benchmarks/load.py --database csp_front --cache-url redis://127.0.0.1:6379/5
    .venv/bin/python benchmarks/load.py --gunicorn-arg=--workers=3 --gunicorn-arg=--threads=4

What it does (benchmarks/production_server.py prepares and starts the server):
1. PostgreSQL database with the Kent demo data, Redis as the cache (emptied first, so the run
   starts cold, as after an import; --warm keeps it), collectstatic, gunicorn with
   gunicorn.conf.py and DEBUG=0 on 127.0.0.1.
2. Signs the demo users in once through the sign-in form and keeps their session cookies.
3. N client threads, each with its own keep-alive connection (as a browser has), request
   pages one after another with no pause between them (--think adds one) until S seconds
   have passed: the pages below in a mix, a third of the clients signed in (partner,
   councillor, officer, analyst: they see provisional figures, so their pages are cached
   apart from the public's).
4. Reports requests per second, p50, p95, p99 and the slowest response, errors (any status
   other than the page's expected one, a refused or broken connection, a 30 s time-out), and
   the same per kind of page. Exits 1 when there was an error or p95 is 2 s or more.

Only 127.0.0.1: every request goes to the gunicorn this script started (or, with --url, to
one already running on this machine). The run is bounded by --seconds and by --max-requests.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.production_server import (  # noqa: E402
    DEMO_PASSWORD,
    PROXY_HEADERS,
    SetupError,
    check_cache_url,
    checkout,
    check_database_name,
    production_server,
)

# The pages of the mix, by kind, with how often each kind is asked for (weights).
CATEGORIES = ["all-crime", "violent-crime", "robbery", "shoplifting", "burglary-dwelling", "criminal-damage",
              "drug-offences", "asb-incidents"]
SPC_CATEGORIES = ["all-crime", "violent-crime", "shoplifting"]
WEIGHTS = {"compare": 3, "district": 3, "overview": 1, "api": 3, "spc": 2, "assessment": 1, "entry": 1}
SIGNED_IN = ["partner", "councillor", "officer.maidstone", "analyst"]
STAFF = {"officer.maidstone", "analyst"}  # may open the data entry home page
SLOW = 2.0  # the bar: p95 under 2 s


class Connection:
    """One client's keep-alive connection to 127.0.0.1, with its cookies."""

    def __init__(self, base: str, cookie: str = "", timeout: float = 30):
        parts = urlsplit(base)
        if parts.hostname not in ("127.0.0.1", "localhost"):
            raise SystemExit(f"{base}: the load check only requests this machine's loopback address")
        self.host, self.port, self.timeout, self.cookie = parts.hostname, parts.port, timeout, cookie
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
        all_headers = {**PROXY_HEADERS, "Accept-Encoding": "identity", **(headers or {})}
        if self.cookie:
            all_headers["Cookie"] = self.cookie
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=all_headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.will_close:
                    self.close()
                return response.status, response.headers, data
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection: open a new one, once.
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _cookies(headers: http.client.HTTPMessage) -> dict[str, str]:
    found = {}
    for line in headers.get_all("Set-Cookie") or []:
        name, _, rest = line.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def sign_in(base: str, username: str) -> str:
    """The session cookie of a demo user, signed in through the sign-in form."""
    conn = Connection(base)
    status, headers, body = conn.request("GET", "/sign-in/")
    csrf = _cookies(headers).get("csrftoken")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not csrf or not token:
        raise SetupError(f"/sign-in/ answered {status} without a CSRF token")
    origin = "https://" + urlsplit(base).netloc  # the scheme the TLS proxy reports
    form = urlencode({"username": username, "password": DEMO_PASSWORD, "next": "/",
                      "csrfmiddlewaretoken": token.group(1).decode()})
    status, headers, _ = conn.request("POST", "/sign-in/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}",
        "Origin": origin, "Referer": origin + "/sign-in/"})
    conn.close()
    session = _cookies(headers).get("sessionid")
    if status != 302 or not session:
        raise SetupError(f"Signing in as {username} failed (HTTP {status}); is the demo data loaded with its users?")
    return f"sessionid={session}"


def discover(base: str) -> dict[str, list[str]]:
    """The pages of the mix, from the site itself: every district, and the demo's assessments."""
    conn = Connection(base)
    _, _, body = conn.request("GET", "/districts/")
    districts = sorted(set(re.findall(r'href="/districts/([EWS]\d{8})/"', body.decode())))
    _, _, body = conn.request("GET", "/priorities/")
    assessments = sorted(set(re.findall(r'href="(/assessments/[EWS]\d{8}/\d{4}-\d{2}/)"', body.decode())))
    # The API needs an end month; its error names the months there are (the last final one).
    _, _, body = conn.request("GET", "/api/v1/comparison/?category=all-crime")
    months = re.findall(r"\d{4}-\d{2}", json.loads(body).get("allowed", ""))
    conn.close()
    if not months:
        raise SetupError("The comparison API named no months: is the demo loaded?")
    last = months[-1]
    year_before = f"{int(last[:4]) - 1}{last[4:]}"
    if not districts or not assessments:
        raise SetupError(f"Found {len(districts)} districts and {len(assessments)} assessments: is the demo loaded?")
    return {
        "compare": [f"/compare/{c}/" for c in CATEGORIES],
        "district": [f"/districts/{d}/" for d in districts],
        "overview": ["/overview/"],
        "api": [f"/api/v1/comparison/?category={c}&end={end}" for c in CATEGORIES for end in (last, year_before)],
        "spc": [f"/spc/{d}/{c}/" for d in districts for c in SPC_CATEGORIES],
        "assessment": assessments,
        "entry": ["/entry/"],
    }


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and its children now alive (gunicorn's master and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            todo += [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            if error:
                self.errors.append(error)


def client(number: int, base: str, user: str, cookie: str, pages: dict[str, list[str]], stop_at: float,
           think: float, results: Results, budget: threading.Semaphore) -> None:
    rng = random.Random(number)  # the same sequence of pages on every run
    kinds = [k for k in WEIGHTS if k != "entry" or user in STAFF]
    weights = [WEIGHTS[k] for k in kinds]
    conn = Connection(base, cookie)
    try:
        while time.monotonic() < stop_at and budget.acquire(blocking=False):
            kind = rng.choices(kinds, weights)[0]
            path = rng.choice(pages[kind])
            started = time.perf_counter()
            error = None
            try:
                status, _, body = conn.request("GET", path)
                if status != 200:
                    error = f"{path}: HTTP {status}"
                elif not body:
                    error = f"{path}: empty answer"
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                error = f"{path}: {type(exc).__name__}: {exc}"
            results.add(kind, time.perf_counter() - started, error)
            if think:
                time.sleep(think)
    finally:
        conn.close()


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile: the smallest value with at least q% of the values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summary(results: Results, seconds: float) -> dict:
    every = [t for times in results.times.values() for t in times]
    out = {
        "requests": len(every),
        "seconds": round(seconds, 1),
        "requests_per_second": round(len(every) / seconds, 1) if seconds else None,
        "p50": round(percentile(every, 50), 3),
        "p95": round(percentile(every, 95), 3),
        "p99": round(percentile(every, 99), 3),
        "max": round(max(every), 3) if every else None,
        "errors": len(results.errors),
        "by_kind": {
            kind: {"requests": len(t), "p50": round(percentile(t, 50), 3), "p95": round(percentile(t, 95), 3),
                   "max": round(max(t), 3), "mean": round(statistics.fmean(t), 3)}
            for kind, t in sorted(results.times.items())
        },
    }
    return out


def run_load(base: str, clients: int, seconds: float, think: float, signed_in_share: float,
             max_requests: int, server_pid: int | None = None, say=print) -> dict:
    say("Signing the demo users in: " + ", ".join(SIGNED_IN))
    sessions = [(name, sign_in(base, name)) for name in SIGNED_IN]
    pages = discover(base)
    n_signed = round(clients * signed_in_share)
    say(f"{clients} clients ({clients - n_signed} anonymous, {n_signed} signed in) for {seconds:g} s, "
        f"{'no pause' if not think else f'{think:g} s pause'} between requests")
    results = Results()
    budget = threading.Semaphore(max_requests)
    load_before = os.getloadavg()[0]
    cpu_before = cpu_seconds(server_pid) if server_pid else None
    started = time.monotonic()
    stop_at = started + seconds
    threads = []
    for i in range(clients):
        user, cookie = sessions[i % len(sessions)] if i < n_signed else ("anonymous", "")
        t = threading.Thread(target=client, args=(i, base, user, cookie, pages, stop_at, think, results, budget),
                             daemon=True)
        threads.append(t)
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    elapsed = time.monotonic() - started
    report = summary(results, elapsed)
    report.update(clients=clients, signed_in_clients=n_signed, think_seconds=think,
                  first_errors=results.errors[:10], cpus=os.cpu_count(),
                  load_average_before=round(load_before, 2), load_average_after=round(os.getloadavg()[0], 2))
    if server_pid and report["requests"]:
        # gunicorn's own CPU time per answer: what the serving costs, whatever else the machine is doing.
        used = cpu_seconds(server_pid) - cpu_before
        report["server_cpu_seconds"] = round(used, 1)
        report["server_cpu_ms_per_request"] = round(1000 * used / report["requests"], 1)
    return report


def print_report(report: dict) -> None:
    print(f"\n{report['requests']} requests in {report['seconds']} s: {report['requests_per_second']} requests/s; "
          f"p50 {report['p50']} s, p95 {report['p95']} s, p99 {report['p99']} s, slowest {report['max']} s; "
          f"{report['errors']} errors")
    if "server_cpu_ms_per_request" in report:
        print(f"gunicorn used {report['server_cpu_seconds']} CPU seconds, {report['server_cpu_ms_per_request']} ms "
              f"per request; load average {report['load_average_before']} before, {report['load_average_after']} "
              f"after, on {report['cpus']} cores")
    print(f"measured on {report['checkout']}; gunicorn {report.get('gunicorn', report.get('server'))}; "
          f"cache {report.get('cache', 'as it was')}")
    print(f"{'page':<12}{'requests':>10}{'p50 s':>9}{'p95 s':>9}{'max s':>9}")
    for kind, row in report["by_kind"].items():
        print(f"{kind:<12}{row['requests']:>10}{row['p50']:>9}{row['p95']:>9}{row['max']:>9}")
    for error in report["first_errors"]:
        print("  error:", error)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=0.0, help="pause in seconds after each answer (default none)")
    parser.add_argument("--signed-in-share", type=float, default=1 / 3)
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop after this many requests in all")
    parser.add_argument("--database", default=os.environ.get("LOAD_DATABASE", "csp_load"),
                        help="PostgreSQL database of your own (created with the demo data when missing)")
    parser.add_argument("--cache-url", default=os.environ.get("LOAD_CACHE_URL", "redis://127.0.0.1:6379/5"),
                        help="Redis database of your own: emptied at the start")
    parser.add_argument("--warm", action="store_true", help="keep the cache as it is (by default it is emptied)")
    parser.add_argument("--gunicorn-arg", action="append", default=[],
                        help="extra gunicorn option, e.g. --gunicorn-arg=--workers=3 (wins over gunicorn.conf.py)")
    parser.add_argument("--url", help="load a gunicorn already running on 127.0.0.1 instead of starting one")
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 200 or not 0 < args.seconds <= 600:
        parser.error("--clients 1 to 200 and --seconds up to 600")

    try:
        if args.url:
            report = run_load(args.url.rstrip("/"), args.clients, args.seconds, args.think, args.signed_in_share,
                              args.max_requests)
            report["server"] = args.url
        else:
            check_database_name(args.database)
            check_cache_url(args.cache_url)
            with production_server(args.database, args.cache_url, gunicorn_args=args.gunicorn_arg,
                                   cold_cache=not args.warm) as server:
                report = run_load(server.url, args.clients, args.seconds, args.think, args.signed_in_share,
                                  args.max_requests, server_pid=server.pid)
                report["gunicorn"] = " ".join(server.gunicorn_args)
                report["cache"] = "warm" if args.warm else "cold at the start"
                if report["errors"]:
                    print("\n--- gunicorn's last lines\n" + server.log_tail())
    except SetupError as error:
        print(f"load: {error}", file=sys.stderr)
        return 2
    report["checkout"] = checkout()
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    ok = report["errors"] == 0 and report["p95"] < SLOW
    print("PASS" if ok else "FAIL", f"(the bar: 0 errors and p95 under {SLOW:g} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
