"""Strategic assessments and partnership plans (issue 5).

Pure computations (no Django) live in ``years``, ``status``, ``targets``,
``funding``, ``evidence`` and ``wording``; reads in ``selectors``; writes in
``services``; the web layer in ``forms`` and ``views``.
"""
