"""Settings refuse unsafe production values; the admin serves reference data to analysts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crimedata.selectors import data_generation

ROOT = Path(__file__).resolve().parents[2]


def run_check(env_extra: dict) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest when the whole suite runs.
    dropped = ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_extra)
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_check({"DEBUG": "0", "ALLOWED_HOSTS": "csp.example.gov.uk"})
    assert result.returncode != 0 and "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = run_check({"DEBUG": "0", "ALLOWED_HOSTS": "csp.example.gov.uk", "SECRET_KEY": "x" * 60 + "-Zq9%"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_analysts_manage_reference_data_in_the_admin_and_edits_invalidate_caches(client, analyst):
    from crimedata.models import District

    analyst.is_staff = True
    analyst.save()
    client.force_login(analyst)
    assert client.get("/admin/crimedata/category/").status_code == 200
    before = data_generation()
    district = District.objects.get(code="E07000112")
    response = client.post(
        f"/admin/crimedata/district/{district.pk}/change/",
        {"code": district.code, "name": district.name, "slug": district.slug, "former_names": "Shepway",
         "police_division": "east", "in_kcc_area": "on"},
    )
    assert response.status_code == 302
    assert data_generation() > before
    # Figures are corrected through the product's pages, never edited in the admin.
    assert client.get("/admin/crimedata/figure/add/").status_code == 403
