"""Small statistics with explicit definitions and minimum sample sizes.

Definitions (the API documents the same):

- Percentile: linear interpolation between closest ranks, the default of
  numpy and R's type 7. For sorted values ``x[0..n-1]`` and ``p`` in 0..100,
  ``h = (n - 1) * p / 100`` and the value is ``x[floor(h)] + (h - floor(h)) *
  (x[floor(h) + 1] - x[floor(h)])``.
- Percentile rank of ``v`` among ``n`` values: ``100 * (below + equal / 2) / n``
  (the mid-rank definition: a value equal to every peer ranks 50).
- Share: ``part / n`` as a fraction 0..1.

Thresholds: a figure from fewer postings than its minimum is returned as
"too few" (value null, ``tooFew: true``, and the ``n`` it would stand on).
"""

from __future__ import annotations

import math
from typing import Sequence

import msgspec

__all__ = ["Figure", "Bin", "MIN_CENTRAL", "MIN_TAIL", "MIN_HISTOGRAM", "MIN_SHARE", "MIN_PEERS",
           "MIN_DURATION", "percentile", "percentile_rank", "figure", "percentile_figures", "median_figure",
           "share_figure", "histogram", "THRESHOLDS"]

MIN_CENTRAL = 5     # p25, p50 (median), p75
MIN_TAIL = 10       # p10, p90: with fewer, they are the extremes dressed up
MIN_HISTOGRAM = 5   # a histogram of fewer values is a list of values
MIN_SHARE = 5       # remote share and other fractions
MIN_PEERS = 5       # "compare this job": peers with pay in the same currency
MIN_DURATION = 5    # median days a posting stays visible

THRESHOLDS = {"p25": MIN_CENTRAL, "p50": MIN_CENTRAL, "p75": MIN_CENTRAL, "p10": MIN_TAIL, "p90": MIN_TAIL,
              "histogram": MIN_HISTOGRAM, "share": MIN_SHARE, "peers": MIN_PEERS, "duration": MIN_DURATION}


class Figure(msgspec.Struct, rename="camel"):
    """One number and the count of postings it stands on."""
    value: float | None
    n: int
    too_few: bool = False


class Bin(msgspec.Struct, rename="camel"):
    """The count of values ``start <= v < end``."""
    start: float
    end: float
    n: int


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Linear interpolation (type 7) on values already sorted ascending."""
    if not sorted_values:
        raise ValueError("no values")
    h = (len(sorted_values) - 1) * p / 100
    low = math.floor(h)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (h - low) * (sorted_values[high] - sorted_values[low])


def percentile_rank(values: Sequence[float], value: float) -> float:
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return 100 * (below + equal / 2) / len(values)


def _round(value: float) -> float:
    return round(value, 2)


def figure(value: float | None, n: int, minimum: int) -> Figure:
    if n < minimum or value is None:
        return Figure(value=None, n=n, too_few=n < minimum)
    return Figure(value=_round(value), n=n)


def percentile_figures(sorted_values: Sequence[float]) -> dict[str, Figure]:
    """p10, p25, p50, p75, p90, each null when the sample is under its minimum."""
    n = len(sorted_values)
    out = {}
    for p in (10, 25, 50, 75, 90):
        minimum = MIN_TAIL if p in (10, 90) else MIN_CENTRAL
        out[f"p{p}"] = figure(percentile(sorted_values, p) if n >= minimum else None, n, minimum)
    return out


def median_figure(values: Sequence[float], minimum: int = MIN_CENTRAL) -> Figure:
    ordered = sorted(values)
    return figure(percentile(ordered, 50) if len(ordered) >= minimum else None, len(ordered), minimum)


def share_figure(part: int, n: int, minimum: int = MIN_SHARE) -> Figure:
    return Figure(value=None, n=n, too_few=True) if n < minimum else Figure(value=round(part / n, 4), n=n)


def _nice_step(raw: float) -> float:
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def histogram(values: Sequence[float], bins: int = 10) -> list[Bin]:
    """Equal-width bins on a "nice" step (1, 2, 2.5 or 5 × a power of ten)
    giving at most ``bins`` bins from the first multiple of the step at or
    below the smallest value."""
    if not values:
        return []
    low, high = min(values), max(values)
    if high == low:
        return [Bin(start=_round(low), end=_round(high), n=len(values))]
    step = _nice_step((high - low) / bins)
    start = math.floor(low / step) * step
    count = int((high - start) // step) + 1
    counts = [0] * count
    for value in values:
        counts[min(count - 1, int((value - start) // step))] += 1
    return [Bin(start=_round(start + i * step), end=_round(start + (i + 1) * step), n=c)
            for i, c in enumerate(counts)]
