"""Demo data for CSP Portal: real published Kent figures reproduced exactly, the rest synthetic.

Public API (called by ``manage.py load_demo``; no Django imports here, so it is testable
without a database):

* generate_populations() -> DataFrame[district, year, population, source]
* generate_figures() -> DataFrame[district, category, period_start, period_end, value, status]
* DEMO_DESCRIPTION: a plain-English paragraph on how the data was made.

The published figures and what became of each are in crimedata.demo.published.TARGETS.
"""

from crimedata.demo.generate import DEMO_DESCRIPTION, generate_figures, generate_populations

__all__ = ["DEMO_DESCRIPTION", "generate_figures", "generate_populations"]
