"""gunicorn.conf.py: the production serving settings and their environment overrides, read with no server."""

from __future__ import annotations

import multiprocessing
import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
OVERRIDES = ["WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_KEEPALIVE", "GUNICORN_ACCESS_LOG"]


@pytest.fixture
def environment(monkeypatch):
    for name in OVERRIDES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_threaded_workers_one_more_than_the_cores_by_default(environment):
    conf = runpy.run_path(str(CONF))
    assert conf["worker_class"] == "gthread"
    assert conf["workers"] == multiprocessing.cpu_count() + 1
    assert conf["threads"] == 4
    assert conf["timeout"] == 60 and conf["keepalive"] == 5
    assert conf["control_socket_disable"] is True
    assert conf["accesslog"] == "-"


def test_the_environment_sets_processes_threads_and_timeouts(environment):
    environment.setenv("WEB_CONCURRENCY", "5")
    environment.setenv("GUNICORN_THREADS", "2")
    environment.setenv("GUNICORN_TIMEOUT", "120")
    environment.setenv("GUNICORN_ACCESS_LOG", "")
    conf = runpy.run_path(str(CONF))
    assert (conf["workers"], conf["threads"], conf["timeout"]) == (5, 2, 120)
    assert conf["accesslog"] is None  # empty: no access log


def test_a_value_that_is_not_a_number_is_refused_by_name(environment):
    environment.setenv("GUNICORN_THREADS", "four")
    with pytest.raises(SystemExit, match="GUNICORN_THREADS='four' is not a whole number"):
        runpy.run_path(str(CONF))
