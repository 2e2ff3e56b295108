"""The comparison of districts: where every figure on the comparison pages, the profile and the API comes from.

- compute.py: change, rates, county positions and the group total for every category at once;
- context.py: fetching and caching the aggregated figures and populations a comparison needs;
- trend.py: the windows of a trend, and rolling rates for a district and its group;
- significance.py: confidence intervals, the comparison with the group and the change test;
- suppression.py: small-number suppression for each view of small numbers, and the published comparison;
- headline.py: one district's headline figures for a category (profile boxes, plan evidence);
- pages.py and api.py: the comparison pages and the open-data API assembled from the above.
"""
