"""The production build: `make assets`, then collectstatic with production's manifest storage.

Production serves static files collected by whitenoise's CompressedManifestStaticFilesStorage,
which rewrites every reference inside CSS and JavaScript (url(), sourceMappingURL) to a hashed
name and fails when a referenced file is missing. The rest of the suite serves static files
straight from static/, so only this test notices a build that production cannot collect.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
SASS = ROOT / "node_modules" / ".bin" / "sass"


@pytest.fixture(scope="module")
def built_static(tmp_path_factory) -> Path:
    """static/ with a fresh `make assets` build in it, built in a temporary folder.

    The install steps are taken as done (`-o`): `make test` has just run them, and this test
    is about the build recipe, not the installation.
    """
    if shutil.which("make") is None or not SASS.exists():
        pytest.skip("needs make and the npm packages (make test installs them)")
    static = tmp_path_factory.mktemp("production") / "static"
    shutil.copytree(ROOT / "static", static, ignore=shutil.ignore_patterns("build"))
    subprocess.run(
        ["make", "--no-print-directory", "-o", "node_modules/.installed", "-o", ".venv/.installed", "assets",
         f"BUILD={static / 'build'}"],
        cwd=ROOT, check=True, capture_output=True, text=True, timeout=300,
    )
    return static


def production_storages() -> dict:
    """STORAGES exactly as csp_portal/settings.py sets them with DEBUG off (tests.settings overrides them)."""
    from csp_portal import settings as production

    assert not production.DEBUG
    return production.STORAGES


def test_production_uses_the_manifest_storage():
    assert production_storages()["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_collectstatic_with_the_production_storage_collects_the_build(built_static, tmp_path, settings):
    settings.STATICFILES_DIRS = [built_static]
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = production_storages()
    # Compression (gzip and brotli of every file) is whitenoise's, takes most of the time and
    # has nothing to do with the references; .ci/production-check runs it in full.
    settings.WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ["css", "js", "map", "svg", "ico", "json", "woff2", "png", "txt"]
    # Before the Makefile copied GOV.UK Frontend's source map, this raised
    # MissingFileError: 'build/govuk/all.bundle.js.map' could not be found.
    call_command("collectstatic", "--no-input", verbosity=0)

    paths = json.loads((tmp_path / "collected" / "staticfiles.json").read_text())["paths"]
    script = paths["build/govuk/govuk-frontend.js"]
    hashed_map = paths["build/govuk/all.bundle.js.map"]
    # The script's sourceMappingURL now names the hashed map, which is there.
    assert (tmp_path / "collected" / script).read_text().rstrip().endswith(
        f"sourceMappingURL={Path(hashed_map).name}"
    )
    assert (tmp_path / "collected" / hashed_map).exists()
    for name in ("build/app.css", "build/vendor/plotly-charts.min.js", "build/vendor/topojson/europe_50m.json",
                 "images/favicon.svg", "images/favicon.ico"):
        assert name in paths, name
    # The stylesheet's fonts and images are hashed too (all of them exist).
    css = (tmp_path / "collected" / paths["build/app.css"]).read_text()
    assert "url(" in css
