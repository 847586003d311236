"""Counters the dashboards read."""

from collections import Counter

failures = Counter()
