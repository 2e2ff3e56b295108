"""Pure statistics for the CSP portal: no Django, no database, only numpy/pandas/scipy.

Every method is stated for readers in docs/methods.md; each module cites its section.
Change, change % and rates are one definition each in crimedata.measures, rounding and number formats in
crimedata.numbers; the polarity constants come from crimedata.reference. All three are plain Python.

- ranking: county position with shared places ("5=")
- intervals: Byar's and exact Poisson confidence intervals (Fingertips)
- significance: Fingertips benchmark comparison; year-on-year significance
- spc: NHS "Making Data Count" XmR charts and special-cause rules
- morile: MoRiLE overall score and theme ranking
- suppression: small-number suppression, including secondary suppression

Import from the modules themselves (``from assessments.statistics.ranking import competition_ranks``).
"""
