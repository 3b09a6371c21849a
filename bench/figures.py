"""One way to summarise latencies for every bench: the median and the 95th percentile.

statistics.quantiles(..., method="inclusive") interpolates between the measured values, so the
figures of two benches (or two runs with a different number of samples) mean the same thing.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def p50(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]
