"""URL parameters on the plan pages: a clear answer for anything typed, never a 500."""

import pytest

from tests.conftest import MAIDSTONE

pytestmark = pytest.mark.django_db
BASE = f"/assessments/{MAIDSTONE}/2017-18/"


@pytest.mark.parametrize("priority", ["\u00b2", "\u0663", "99999999999999999999999", "x", ""])
def test_adding_a_target_with_any_priority_parameter_shows_the_form(make_plan, officer, client, priority):
    make_plan(MAIDSTONE, 2017, priorities=1, actions=0, grants=0)
    client.force_login(officer)
    client.raise_request_exception = False
    response = client.get(BASE + "edit/targets/add/", {"priority": priority})
    assert response.status_code == 200
    assert 'name="measure"' in response.content.decode()


def test_adding_a_target_for_a_priority_links_it(make_plan, officer, client):
    plan = make_plan(MAIDSTONE, 2017, priorities=1, actions=0, grants=0)
    client.force_login(officer)
    priority = plan.priorities.get()
    response = client.get(BASE + "edit/targets/add/", {"priority": str(priority.pk)})
    assert response.status_code == 200
    assert response.context["form"].instance.priority == priority
