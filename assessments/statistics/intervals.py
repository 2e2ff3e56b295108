"""Confidence intervals for counts and rates, as PHE/OHID Fingertips computes them.

docs/methods.md §2, ported from PHEindicatormethods (R/utils.R byars_lower/upper;
R/Rates.R phe_rate):

- counts of 10 or more: Byar's approximation;
- counts below 10: the exact Poisson interval (chi-square quantiles);
- a rate's interval is the count's interval / population x base.

Confidence is a fraction: 0.95 (the default) or 0.998 for the outer Fingertips
level. Scalar functions return floats or None; the vectorised functions take
arrays or Series and return float64 arrays with NaN for missing input.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.stats import chi2, norm

from crimedata.numbers import is_missing

__all__ = [
    "BYARS",
    "EXACT",
    "EXACT_BELOW",
    "CountInterval",
    "RateInterval",
    "byars_lower",
    "byars_upper",
    "count_ci",
    "exact_lower",
    "exact_upper",
    "poisson_ci",
    "rate_ci",
    "rate_ci_arrays",
    "z_value",
]

BYARS = "Byars"
EXACT = "Exact"
# phe_rate switches to the exact interval when x < 10, where Byar's
# approximation is poor (and its lower limit can go negative).
EXACT_BELOW = 10


class CountInterval(NamedTuple):
    """Confidence interval for an observed count; method is "Byars" or "Exact"."""

    lower: float
    upper: float
    method: str


class RateInterval(NamedTuple):
    """A rate per `base` residents with its confidence interval and method."""

    value: float
    lower: float
    upper: float
    method: str


def _check_confidence(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"Confidence must be a fraction between 0 and 1 (0.95, 0.998), not {confidence!r}.")
    return float(confidence)


def z_value(confidence: float = 0.95) -> float:
    """Two-sided normal quantile: 1.959964 for 0.95, 3.090232 for 0.998."""
    confidence = _check_confidence(confidence)
    # Same expression as PHEindicatormethods, so results agree to the last digit.
    return float(norm.ppf(confidence + (1 - confidence) / 2))


def _array(values: object) -> np.ndarray:
    if isinstance(values, pd.Series):
        return pd.to_numeric(values).astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    return np.asarray(values, dtype="float64")


def _check_counts(x: np.ndarray) -> None:
    if np.any(x < 0):
        raise ValueError("Observed counts must be zero or more.")


def _byars_lower_array(x: np.ndarray, z: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
    # PHE returns NA rather than a negative lower limit.
    return np.where(lower < 0, np.nan, lower)


def _byars_upper_array(x: np.ndarray, z: float) -> np.ndarray:
    return (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3


def _exact_lower_array(x: np.ndarray, confidence: float) -> np.ndarray:
    alpha = 1 - confidence
    with np.errstate(invalid="ignore"):
        lower = chi2.ppf(alpha / 2, 2 * x) / 2
    # chi-square with 0 degrees of freedom is undefined; the limit for 0 events is 0.
    return np.where(x == 0, 0.0, lower)


def _exact_upper_array(x: np.ndarray, confidence: float) -> np.ndarray:
    alpha = 1 - confidence
    return chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2


def _scalar(value: np.ndarray) -> float | None:
    v = float(value)
    return None if np.isnan(v) else v


def byars_lower(x: float, confidence: float = 0.95) -> float | None:
    """Byar's lower limit for a count, applied directly whatever the count.

    Returns None where the formula goes negative or x is 0 (PHE returns NA).
    Use count_ci() for the Fingertips switch to the exact method below 10.
    """
    x_arr = np.asarray(float(x))
    _check_counts(x_arr)
    return _scalar(_byars_lower_array(x_arr, z_value(confidence)))


def byars_upper(x: float, confidence: float = 0.95) -> float:
    """Byar's upper limit for a count, applied directly whatever the count."""
    x_arr = np.asarray(float(x))
    _check_counts(x_arr)
    return float(_byars_upper_array(x_arr, z_value(confidence)))


def exact_lower(x: float, confidence: float = 0.95) -> float:
    """Exact Poisson lower limit: chi2(alpha/2, 2x) / 2, and 0 when x is 0."""
    x_arr = np.asarray(float(x))
    _check_counts(x_arr)
    return float(_exact_lower_array(x_arr, _check_confidence(confidence)))


def exact_upper(x: float, confidence: float = 0.95) -> float:
    """Exact Poisson upper limit: chi2(1 - alpha/2, 2x + 2) / 2."""
    x_arr = np.asarray(float(x))
    _check_counts(x_arr)
    return float(_exact_upper_array(x_arr, _check_confidence(confidence)))


def poisson_ci(counts: object, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised count intervals with the Fingertips method switch (docs/methods.md §2.1).

    counts: array-like or Series of counts (NaN / None / pd.NA for missing).
    Returns (lower, upper): float64 arrays the shape of counts; NaN where the
    count is missing. Counts below 10 use the exact method, others Byar's.
    """
    x = _array(counts)
    _check_counts(x[~np.isnan(x)])
    confidence = _check_confidence(confidence)
    z = z_value(confidence)
    exact = x < EXACT_BELOW
    lower = np.where(exact, _exact_lower_array(x, confidence), _byars_lower_array(x, z))
    upper = np.where(exact, _exact_upper_array(x, confidence), _byars_upper_array(x, z))
    missing = np.isnan(x)
    lower[missing] = np.nan
    upper[missing] = np.nan
    return lower, upper


def count_ci(x: float | None, confidence: float = 0.95) -> CountInterval | None:
    """Confidence interval for one count, Byar's from 10 up and exact below.

    Returns CountInterval(lower, upper, method), or None for a missing count.
    """
    if is_missing(x):
        return None
    lower, upper = poisson_ci(np.array([float(x)]), confidence)
    return CountInterval(float(lower[0]), float(upper[0]), EXACT if float(x) < EXACT_BELOW else BYARS)


def rate_ci(
    count: float | None, population: float | None, base: float = 1000, confidence: float = 0.95
) -> RateInterval | None:
    """A rate per `base` residents with the count's interval scaled by base / population.

    Returns RateInterval(value, lower, upper, method), or None when the count or
    population is missing or the population is not positive.
    """
    if is_missing(count) or is_missing(population) or population <= 0:
        return None
    interval = count_ci(count, confidence)
    scale = base / float(population)
    return RateInterval(float(count) * scale, interval.lower * scale, interval.upper * scale, interval.method)


def rate_ci_arrays(
    counts: object, populations: object, base: float = 1000, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised rate_ci(): returns (rate, lower, upper) float64 arrays.

    NaN wherever the count or population is missing or the population is not positive.
    """
    x, n = _array(counts), _array(populations)
    lower, upper = poisson_ci(x, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n > 0, base / n, np.nan)
    return x * scale, lower * scale, upper * scale
