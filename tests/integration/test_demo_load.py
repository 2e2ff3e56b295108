"""`manage.py load_demo` through the database and the comparison service.

The demo must reproduce the published figures once stored and aggregated by the
product itself, not only in the generator's own arithmetic.
"""

import pytest
from django.core.management import call_command

from assessments.comparison.context import comparison_context
from crimedata.models import Figure, ImportLog
from crimedata.periods import Window, parse_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # demo sign-ins are only created when DEBUG is on
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_demo_loads_once_and_reproduces_published_totals(demo, client):
    assert Figure.objects.count() > 40_000 and ImportLog.objects.filter(kind="demo").count() == 1
    # Tunbridge Wells, October 2015 to September 2016 (strategic assessment 2016/17).
    ctx = comparison_context(Window.ending(parse_month("2016-09")), "kent", include_provisional=False)
    tw = ctx.compare("all-crime").row("E07000116")
    assert (tw["count"], tw["previous_count"], tw["change"], tw["rank_label"]) == (5285, 5040, 245, "1")
    # Maidstone's whole tree for the 12 months to October 2016 (strategic assessment 2017-18 §2.3).
    ctx = comparison_context(Window.ending(parse_month("2016-10")), "kent-and-medway", include_provisional=False)
    for slug, expected in [("all-crime", 10271), ("victim-based-crime", 9245), ("violent-crime", 3743),
                           ("theft-and-handling", 2422), ("crimes-against-society", 1026)]:
        assert ctx.compare(slug).row("E07000110")["count"] == expected, slug
    # The Kent ASB table: ranked by change %, Canterbury (−8.9%) first and Ashford (+17.3%) last.
    asb = ctx.compare("asb-incidents", rank_by="change_pct").rows
    assert asb.iloc[0]["name"] == "Canterbury" and asb.iloc[-1]["name"] == "Ashford"
    assert round(asb.iloc[-1]["change_pct"], 1) == 17.3


    # Demo sign-ins exist (DEBUG is on here) with their roles and districts.
    from django.contrib.auth.models import User

    officer = User.objects.get(username="officer.maidstone")
    assert officer.groups.filter(name="Community safety officer").exists()
    assert officer.district_memberships.get().district.name == "Maidstone"
    # The about page says how the demo data was made, from what the load stored: no page imports the demo.
    about = client.get("/about-the-data/").content.decode()
    assert "This is demonstration data" in about and "Do not use the demo data for real analysis." in about


def test_loading_again_does_nothing(capsys):
    ImportLog.objects.create(kind=ImportLog.KIND_DEMO, file_name="manage.py load_demo", summary="loaded")
    call_command("load_demo")
    assert "already loaded" in capsys.readouterr().out and Figure.objects.count() == 0


def test_no_demo_sign_ins_without_debug(settings):
    from django.contrib.auth.models import User

    settings.DEBUG = False
    ImportLog.objects.create(kind=ImportLog.KIND_DEMO, file_name="manage.py load_demo", summary="loaded")
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert not User.objects.exists()
