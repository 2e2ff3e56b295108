"""Alerts when the figures move: subscriptions, the alert rules, working them out for a quarter, sending.

- ``rules``: the four rules in words, over a published comparison row or an SPC chart (pure);
- ``collect``: a quarter's alerts for one subscriber, from the comparisons and charts the pages show;
- ``sending``: the quarter's emails, once each (``send_alerts`` command, or a background task);
- ``subscriptions``: reading and changing who follows what.
"""
