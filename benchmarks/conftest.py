"""Benchmarks run on demand with `make benchmark`; they are not part of `make test`."""

import pytest

# The suite's fixtures that clear the cache and restore reference data after a flush.
from tests.conftest import _fresh_cache, _reference_data  # noqa: F401


def pytest_collection_modifyitems(config, items):
    # Without --benchmark-enable (as in `make test`), benchmarks would still run
    # their set-up; skip them instead so the normal suite stays fast.
    if config.getoption("benchmark_disable", default=True) and not config.getoption("benchmark_enable", default=False):
        for item in items:
            if "benchmarks" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason="benchmark: run with `make benchmark`"))
