"""The Kent demo: everything ``manage.py load_demo`` loads, kept out of the live apps.

* ``demo.generate``: populations and monthly figures, real published Kent counts
  reproduced exactly and the rest synthetic (no Django imports, so it is testable
  without a database): ``generate_populations()``, ``generate_figures()`` and
  ``DEMO_DESCRIPTION``, a plain-English paragraph on how the data was made;
* ``demo.published``: the published figures and what became of each (``TARGETS``);
* ``demo.content``: strategic assessments, priorities, plans and funding from the
  published documents;
* ``demo.management.commands.load_demo``: the command that loads them all.

No page imports this package: the about-the-data page shows what the load stored
in its import log.
"""
