"""Generated commentary and officers' edits of it.

- ``text``: the sentences and paragraphs, written from computed figures (pure);
- ``keys``: the key each text's edits are kept under, and the text each page part shows;
- ``edits``: keeping, resolving and reverting officers' edits, with their history;
- ``priorities``: the evidence paragraph of each priority on the plan pages.
"""
