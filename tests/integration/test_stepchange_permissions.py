"""Step changes: only a person applies one, with a reason; removing needs a reason; history; permissions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client

from assessments.spc.chart import SpcOptions, spc_chart
from assessments.spc.step_changes import StepChangeError, add_step_change, remove_step_change
from assessments.models import StepChange
from crimedata.periods import parse_month
from crimedata.selectors import reference_data
from tests.conftest import MAIDSTONE, TUNBRIDGE_WELLS
from tests.integration.test_spc_pages import CRIME_24_MONTHS, store_series, table_rows

pytestmark = pytest.mark.django_db

ADD = f"/spc/{MAIDSTONE}/robbery/step-changes/"


@pytest.fixture
def series():
    store_series(MAIDSTONE, "robbery", "2015-01", CRIME_24_MONTHS)


def add(client, month="2016-01", reason="New crime recording standards", **extra):
    return client.post(ADD, {"month": month, "reason": reason, "grain": "month", **extra})


def test_an_officer_applies_the_suggested_step_change_with_a_reason(client, officer, series):
    client.force_login(officer)
    page = client.get(f"/spc/{MAIDSTONE}/robbery/").content.decode()
    # The form offers the suggested month first, and the chart is one segment until a person acts.
    assert '<option value="2016-01" selected>January 2016</option>' in page
    assert StepChange.objects.count() == 0

    response = add(client)
    assert response.status_code == 302
    assert response["Location"] == f"/spc/{MAIDSTONE}/robbery/?grain=month#step-changes"
    step = StepChange.objects.get()
    assert (step.month.isoformat(), step.reason, step.created_by) == ("2016-01-01", "New crime recording standards",
                                                                       officer)
    history = step.history.get()
    assert (history.history_type, history.history_user, history.history_change_reason) == (
        "+", officer, "New crime recording standards")

    html = client.get(f"/spc/{MAIDSTONE}/robbery/").content.decode()
    rows = table_rows(html)
    assert "(step change: new limits from here)" in rows[12]
    assert "405 407.7" in rows[12]  # the new segment's own centre line (mean of months 13-24)
    assert "Step change saved: the limits start again from January 2016." in html
    assert "New crime recording standards" in html and "History of step changes" in html
    assert "A sustained run of" not in html  # the suggestion is taken up


def test_a_reason_is_required_and_nothing_is_written_without_one(client, officer, series):
    client.force_login(officer)
    response = add(client, reason="   ")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "Give the reason for the step change" in html
    assert 'href="#id_reason"' in html
    assert StepChange.objects.count() == 0


@pytest.mark.parametrize("month", ["2015-01", "2030-01", "January", ""])
def test_only_a_charted_month_after_the_first_can_start_a_step_change(client, officer, series, month):
    client.force_login(officer)
    response = add(client, month=month)
    assert response.status_code == 400
    assert StepChange.objects.count() == 0


def test_the_same_month_twice_is_refused(client, officer, analyst, series):
    client.force_login(officer)
    add(client)
    client.force_login(analyst)
    response = add(client, reason="Again")
    assert response.status_code == 400
    assert StepChange.objects.count() == 1


@pytest.mark.parametrize("who", ["analyst", "administrator"])
def test_county_analysts_and_administrators_may_apply_step_changes(client, series, who, request):
    client.force_login(request.getfixturevalue(who))
    assert add(client).status_code == 302
    assert StepChange.objects.count() == 1


@pytest.mark.parametrize("who", ["other_officer", "partner", "scrutiny", None])
def test_nobody_else_may_apply_a_step_change_even_by_a_direct_post(client, series, who, request):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = add(client)
    # Signed in but not theirs: 403. Signed out: sent to sign in, as on every page (crimedata.access).
    if who:
        assert response.status_code == 403
    else:
        assert response.status_code == 302 and response["Location"].startswith(f"/sign-in/?next={ADD}")
    assert StepChange.objects.count() == 0
    page = client.get(f"/spc/{MAIDSTONE}/robbery/").content.decode()
    assert 'id="step-change-form"' not in page and "Edit the summary" not in page


def test_another_districts_officer_gets_403_on_their_own_code_for_someone_elses_step_change(
    client, officer, other_officer, series
):
    client.force_login(officer)
    add(client)
    step = StepChange.objects.get()
    client.force_login(other_officer)
    # Maidstone's step change through Maidstone's URL: not theirs.
    response = client.post(f"/spc/{MAIDSTONE}/robbery/step-changes/{step.pk}/remove/", {"reason": "Mine now"})
    assert response.status_code == 403
    # Through their own district's URL the id does not belong to that series: nothing happens.
    response = client.post(f"/spc/{TUNBRIDGE_WELLS}/robbery/step-changes/{step.pk}/remove/", {"reason": "x"})
    assert response.status_code == 400
    assert "already been removed" in response.content.decode()
    assert StepChange.objects.filter(pk=step.pk).exists()


def test_removing_a_step_change_needs_a_reason_and_keeps_the_history(client, officer, series):
    client.force_login(officer)
    add(client)
    step = StepChange.objects.get()
    remove = f"/spc/{MAIDSTONE}/robbery/step-changes/{step.pk}/remove/"
    response = client.post(remove, {"reason": "", "grain": "month"})
    assert response.status_code == 400
    assert "Give the reason for removing the step change." in response.content.decode()
    assert f'href="#remove-reason-{step.pk}"' in response.content.decode()
    assert StepChange.objects.count() == 1

    response = client.post(remove, {"reason": "Applied by mistake", "grain": "month"})
    assert response.status_code == 302
    assert StepChange.objects.count() == 0
    removed = StepChange.history.filter(history_type="-").get()
    assert (removed.history_user, removed.history_change_reason) == (officer, "Applied by mistake")
    html = client.get(f"/spc/{MAIDSTONE}/robbery/").content.decode()
    assert "Removed: from January 2016" in html and "Applied by mistake" in html

    again = client.post(remove, {"reason": "Twice", "grain": "month"})
    assert again.status_code == 400 and "already been removed" in again.content.decode()


def test_step_change_urls_only_accept_post(client, officer, series):
    client.force_login(officer)
    assert client.get(ADD).status_code == 405


def test_forms_need_a_csrf_token(officer, series):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(officer)
    assert add(strict).status_code == 403
    assert StepChange.objects.count() == 0
    assert "csrfmiddlewaretoken" in strict.get(f"/spc/{MAIDSTONE}/robbery/").content.decode()


def test_the_services_check_permissions_themselves(officer, other_officer, series):
    ref = reference_data()
    district, category = ref.district(MAIDSTONE), ref.category("robbery")
    with pytest.raises(PermissionDenied):
        add_step_change(user=other_officer, district=district, category=category, month=parse_month("2016-01"),
                            reason="x")
    with pytest.raises(PermissionDenied):
        add_step_change(user=AnonymousUser(), district=district, category=category,
                            month=parse_month("2016-01"), reason="x")
    step = add_step_change(user=officer, district=district, category=category, month=parse_month("2016-01"),
                               reason="Recording change")
    with pytest.raises(PermissionDenied):
        remove_step_change(user=other_officer, district=district, category=category, step_change_id=step.pk,
                               reason="x")
    with pytest.raises(StepChangeError):
        remove_step_change(user=officer, district=district, category=category, step_change_id=step.pk, reason="")


def test_a_step_change_applies_to_the_quarterly_chart_at_the_quarter_containing_it(officer, series):
    ref = reference_data()
    add_step_change(user=officer, district=ref.district(MAIDSTONE), category=ref.category("robbery"),
                        month=parse_month("2016-02"), reason="Mid-quarter change")
    chart = spc_chart(MAIDSTONE, "robbery", SpcOptions(grain="quarter"), user=officer)
    assert chart.points["step_change"].tolist().index(True) == 4  # Q4 2015/16: January to March 2016
    assert len(chart.result.segments) == 2
