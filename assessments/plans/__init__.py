"""Strategic assessments and partnership plans.

Pure computations (no Django) live in ``years``, ``status``, ``targets``,
``funding`` and ``wording`` (the evidence figures come from ``assessments.comparison``); reads in ``selectors``; writes in
``services``; the web layer in ``forms`` and ``views``.
"""
