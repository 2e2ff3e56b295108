"""SPC charts of each district × category series (docs/methods.md §1).

- ``series``: reading one district's series, its periods (windows) and grains;
- ``chart``: the SpcChart of one series, its plotly figure and table, and the chart a viewer may see;
- ``summary``: the latest point of each series of a district, and a chart's generated paragraph;
- ``step_changes``: applying and removing step changes, and their history;
- ``page``: the chart page, assembled for its view.

The XmR statistics themselves are ``assessments.statistics.spc`` (pure).
"""
