"""Site-wide pages: home (districts and categories), accessibility statement, security headers."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_lists_every_district_and_category(client, ref, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for district in ref.districts:
        assert district.name in html
    assert "formerly Shepway" in html
    for category in ref.categories:
        assert category.name in html
    assert "No figures have been loaded yet." in html


def test_home_query_count_does_not_grow_with_figures(client, ref, django_assert_max_num_queries):
    from tests.conftest import add_figure

    for month in range(1, 13):
        add_figure("E07000110", "robbery", f"2016-{month:02d}", value=month)
    with django_assert_max_num_queries(6):
        response = client.get("/")
    assert "January 2016" in response.content.decode()


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/accessibility/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "<script>" not in response.content.decode()  # no inline scripts anywhere
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_accessibility_statement_names_the_regulations_and_enforcement(client):
    html = client.get("/accessibility/").content.decode()
    assert "Accessibility Regulations 2018" in html
    assert "Equality and Human Rights Commission" in html


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", [1, 2])
def test_reference_data_survives_transactional_tests(attempt):
    # Transactional tests end by flushing every table; the second run would find
    # no districts, categories or roles unless the suite restores them.
    from django.contrib.auth.models import Group

    from crimedata.models import Category, District

    assert District.objects.count() == 13 and Category.objects.filter(slug="all-crime").exists()
    assert Group.objects.filter(name="County analyst").exists()
