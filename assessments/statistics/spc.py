"""SPC (statistical process control) XmR charts: NHS "Making Data Count" rules (docs/methods.md §1).

A port of NHSRplotthedots (R/ptd_spc_standard.R and R/ptd_calculate_point_type.R)
so that Kent Police "plot the dots" charts read the same here as in the NHS tools:

- control limits: mean +/- 2.66 x average moving range; "near" limits at 2/3 of that;
- four special-cause rules, worst first: a point outside the limits; a trend of
  `trend_length` points each higher (or lower) than the last; 2 of 3 points
  close to a limit on the same side; a run of `run_length` points on one side
  of the mean;
- a chart can be split into segments (a "rebase" or step change), each with its
  own limits; no moving range or rule crosses a segment boundary.

Defaults follow the MDC Excel tool, not the R package: outlier screening of the
moving ranges is OFF (screen_outliers=True reproduces the R default).

Missing months (NaN/None) are kept as points marked point_type "missing" so
the chart shows the gap. They are left out of the mean, a moving range is not
taken across them, and they break runs, trends and 2-in-3 windows: we cannot
say seven months in a row were below the mean when one of them is unknown.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

__all__ = [
    "IMPROVEMENT_DIRECTIONS",
    "LIMIT_FACTOR",
    "NEAR_LIMIT_FACTOR",
    "SCREENING_FACTOR",
    "TRIAL_LIMITS_BELOW",
    "Run",
    "SegmentLimits",
    "SpcResult",
    "assurance",
    "label_points",
    "part_of",
    "part_of_two_in_three",
    "point_types",
    "run_ends",
    "trend_ends",
    "two_in_three",
    "xmr",
    "xmr_many",
]

# 3 / d2 with d2 = 1.128, the bias constant for a moving range of two points.
LIMIT_FACTOR = 2.66
# The "near limit" line used by the 2-in-3 rule: two sigma rather than three.
NEAR_LIMIT_FACTOR = 2 * LIMIT_FACTOR / 3
# D4 for ranges of two: a moving range this many times the average is an outlier.
SCREENING_FACTOR = 3.267
# The R package warns when a segment has fewer than 13 points (n <= 12).
TRIAL_LIMITS_BELOW = 13

INCREASE, DECREASE, NEUTRAL = "increase", "decrease", "neutral"
IMPROVEMENT_DIRECTIONS = (INCREASE, DECREASE, NEUTRAL)

COMMON_CAUSE = "common_cause"
IMPROVEMENT = "special_cause_improvement"
CONCERN = "special_cause_concern"
NEUTRAL_HIGH = "special_cause_neutral_high"
NEUTRAL_LOW = "special_cause_neutral_low"
MISSING = "missing"


# --- The four rules, one segment at a time ---------------------------------------------
#
# Each takes the points of ONE segment, in date order, and returns an array of
# the same length. They mirror the R functions named in their docstrings, so
# the package's own unit-test vectors apply to them directly (docs/methods.md §1.4 C).


def _nan_to_zero(values: object) -> np.ndarray:
    """float array with NaN replaced by 0 (cheaper than np.nan_to_num for our short arrays)."""
    array = np.array(values, dtype=float)
    array[np.isnan(array)] = 0.0
    return array


def _streak_lengths(keys: np.ndarray) -> np.ndarray:
    """For each position, how many consecutive equal keys end there (1 at a change)."""
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts_here = np.ones(n, dtype=bool)
    starts_here[1:] = keys[1:] != keys[:-1]
    streak_start = np.maximum.accumulate(np.where(starts_here, np.arange(n), 0))
    return np.arange(n) - streak_start + 1


def run_ends(relative_to_mean: Sequence[float], run_length: int = 7) -> np.ndarray:
    """1 where a point ends `run_length` consecutive points on the same side of the mean.

    Port of ptd_seven_point_one_side_mean. A point on the mean (0) breaks a run.
    Returns an int array of 0/1, one per point.
    """
    side = _nan_to_zero(relative_to_mean)
    ends = (_streak_lengths(side) >= run_length) & (side != 0)
    return ends.astype(np.int64)


def _difference_signs(y: np.ndarray) -> np.ndarray:
    # A missing neighbour gives NaN, which counts as "no change" and breaks a trend.
    return _nan_to_zero(np.sign(np.diff(y)))


def trend_ends(y: Sequence[float], trend_length: int = 7) -> np.ndarray:
    """+1/-1 where a point ends `trend_length` points each higher/lower than the one before.

    Port of ptd_seven_point_trend: trend_length - 1 successive differences with
    the same sign. Equal neighbours break a trend. Returns an int array, 0 elsewhere.
    """
    y = np.asarray(y, dtype=float)
    out = np.zeros(len(y), dtype=np.int64)
    if len(y) < 2:
        return out
    signs = _difference_signs(y)
    qualifying = (_streak_lengths(signs) >= trend_length - 1) & (signs != 0)
    out[1:] = np.where(qualifying, signs, 0).astype(np.int64)
    return out


def part_of(ends: Sequence[float], length: int = 7) -> np.ndarray:
    """1 for every point belonging to a flagged run or trend: an end point and the length - 1 before it.

    Port of ptd_part_of_seven_trend. Returns an int array of 0/1.
    """
    flagged = (np.asarray(ends, dtype=float) != 0).astype(np.int64)
    n = len(flagged)
    cumulative = np.concatenate(([0], np.cumsum(flagged)))
    # any end among positions i .. i + length - 1
    window_end = np.minimum(np.arange(n) + length, n)
    return (cumulative[window_end] - cumulative[:n] > 0).astype(np.int64)


def two_in_three(close_to_limits: Sequence[float], relative_to_mean: Sequence[float]) -> np.ndarray:
    """1 for every point in a window of 3 with >= 2 points close to a limit, all 3 on one side.

    Port of ptd_two_in_three. Points on opposite sides of the mean never
    combine. Returns an int array of 0/1 (before part_of_two_in_three()).
    """
    close = np.asarray(close_to_limits, dtype=float)
    side = _nan_to_zero(relative_to_mean)
    n = len(close)
    flags = np.zeros(n, dtype=bool)
    if n < 3:
        return flags.astype(np.int64)
    windows = (close[:-2] + close[1:-1] + close[2:] >= 2) & (np.abs(side[:-2] + side[1:-1] + side[2:]) == 3)
    # a window starting at j covers points j, j + 1 and j + 2
    flags[:-2] |= windows
    flags[1:-1] |= windows
    flags[2:] |= windows
    return flags.astype(np.int64)


def part_of_two_in_three(flags: Sequence[float], close_to_limits: Sequence[float]) -> np.ndarray:
    """Keep the 2-in-3 flag only on the points that are themselves close to a limit."""
    return ((np.asarray(flags) == 1) & (np.abs(np.asarray(close_to_limits, dtype=float)) == 1)).astype(np.int64)


def _trend_label_directions(y: np.ndarray, in_trend: np.ndarray) -> np.ndarray:
    """+1 "Increasing" / -1 "Decreasing" for each point in a trend, as the R package decides.

    A point inside a trend takes the direction of the step to the next point;
    the last point of a trend takes the step from the previous one. The R code
    also uses the next step when it is flat, which would call the end of a
    rising trend "Decreasing"; a flat next step falls back to the previous one.
    """
    n = len(y)
    steps = _difference_signs(y) if n > 1 else np.zeros(0)
    to_next = np.concatenate((steps, [0.0]))
    from_previous = np.concatenate(([0.0], steps))
    next_in_trend = np.concatenate((in_trend[1:], [False]))
    use_next = in_trend & next_in_trend & (to_next != 0)
    return np.where(use_next, to_next, from_previous)


def label_points(
    *,
    y: Sequence[float],
    relative_to_mean: Sequence[float],
    outside_limits: Sequence[float],
    part_of_trend: Sequence[float],
    part_of_two_in_three: Sequence[float],
    part_of_run: Sequence[float],
    run_length: int = 7,
    trend_length: int = 7,
) -> tuple[np.ndarray, np.ndarray]:
    """The rule each point shows, worst first: outside limits > trend > 2-in-3 > run > common cause.

    Port of ptd_special_cause_type for one segment. Returns (labels, signs):
    labels is an object array ("Above UCL", "7 Point Trend (Increasing)",
    "2 in 3 Below CL", "7 Points Above CL", "Common Cause", with the configured
    lengths in the text) and signs an int array, +1 for Above/Increasing, -1 for
    Below/Decreasing, 0 for common cause.
    """
    y = np.asarray(y, dtype=float)
    side = _nan_to_zero(relative_to_mean)
    outside = np.asarray(outside_limits, dtype=float) != 0
    trend = np.asarray(part_of_trend, dtype=float) != 0
    near = np.asarray(part_of_two_in_three, dtype=float) != 0
    run = np.asarray(part_of_run, dtype=float) != 0
    trend_sign = _trend_label_directions(y, trend)
    above = side > 0

    labels = np.full(len(y), "Common Cause", dtype=object)
    signs = np.zeros(len(y), dtype=np.int64)
    # Written lowest precedence first, so each stronger rule overwrites a weaker one.
    for applies, high, texts in (
        (run, above, (f"{run_length} Points Above CL", f"{run_length} Points Below CL")),
        (near, above, ("2 in 3 Above CL", "2 in 3 Below CL")),
        (
            trend,
            trend_sign == 1,
            (f"{trend_length} Point Trend (Increasing)", f"{trend_length} Point Trend (Decreasing)"),
        ),
        (outside, side == 1, ("Above UCL", "Below LCL")),
    ):
        if applies.any():
            labels[applies] = np.where(high[applies], texts[0], texts[1])
            signs[applies] = np.where(high[applies], 1, -1)
    return labels, signs


def point_types(signs: Sequence[int], improvement_direction: str) -> np.ndarray:
    """MDC point types from rule signs (+1 high, -1 low, 0 none), port of ptd_point_type.

    "increase"/"decrease": special_cause_improvement / special_cause_concern;
    "neutral": special_cause_neutral_high / special_cause_neutral_low;
    common_cause otherwise. Returns an object array.
    """
    _check_direction(improvement_direction)
    signs = np.asarray(signs)
    if improvement_direction == NEUTRAL:
        return np.select([signs > 0, signs < 0], [NEUTRAL_HIGH, NEUTRAL_LOW], default=COMMON_CAUSE).astype(object)
    oriented = signs * (1 if improvement_direction == INCREASE else -1)
    return np.select([oriented > 0, oriented < 0], [IMPROVEMENT, CONCERN], default=COMMON_CAUSE).astype(object)


def assurance(target: float | None, upl: float, lpl: float, improvement_direction: str) -> str | None:
    """Will the process meet the target? Port of ptd_calculate_assurance_type (docs/methods.md §1.2).

    Uses the latest limits. Returns "consistent_pass", "consistent_fail",
    "inconsistent", or None when there is no target, the direction is
    "neutral" or the limits are unknown.
    """
    _check_direction(improvement_direction)
    if target is None or improvement_direction == NEUTRAL or np.isnan(upl) or np.isnan(lpl):
        return None
    increasing = improvement_direction == INCREASE
    if target > upl:
        return "consistent_fail" if increasing else "consistent_pass"
    if target < lpl:
        return "consistent_pass" if increasing else "consistent_fail"
    return "inconsistent"


def _check_direction(improvement_direction: str) -> None:
    if improvement_direction not in IMPROVEMENT_DIRECTIONS:
        raise ValueError(
            f"improvement_direction must be one of {', '.join(IMPROVEMENT_DIRECTIONS)}, not {improvement_direction!r}."
        )


# --- Limits and the whole chart -------------------------------------------------------


@dataclass(frozen=True)
class SegmentLimits:
    """Control limits of one segment (positions are 0-based and inclusive).

    n_points counts the segment's observed (non-missing) points and n_baseline
    those used for the limits. trial_limits is True when n_points < 13.
    """

    segment: int
    start: int
    end: int
    start_date: object
    n_points: int
    n_baseline: int
    mean: float
    mr_bar: float
    upl: float
    lpl: float
    near_upl: float
    near_lpl: float
    trial_limits: bool


@dataclass(frozen=True)
class Run:
    """A run of at least run_length points on one side of the mean ("above" or "below")."""

    start: int
    end: int
    side: str
    start_date: object = None


@dataclass(frozen=True)
class _Settings:
    improvement_direction: str
    screen_outliers: bool
    fix_after_n_points: int | None
    run_length: int
    trend_length: int
    clamp_lower_at_zero: bool


def _segment_limits(values: np.ndarray, settings: _Settings) -> tuple[float, float, np.ndarray, np.ndarray]:
    """(mean, mr_bar, baseline mask, moving ranges) for one segment's values."""
    observed = ~np.isnan(values)
    baseline = observed.copy()
    if settings.fix_after_n_points is not None:
        baseline &= np.cumsum(observed) <= settings.fix_after_n_points
    moving_range = np.full(len(values), np.nan)
    if len(values) > 1:
        # NaN when either neighbour is missing: a range is never taken across a gap.
        moving_range[1:] = np.abs(np.diff(values))
    if not baseline.any():
        return np.nan, np.nan, baseline, moving_range
    mean = float(values[baseline].mean())
    baseline_ranges = moving_range[1:][baseline[1:] & baseline[:-1]]
    baseline_ranges = baseline_ranges[~np.isnan(baseline_ranges)]
    if len(baseline_ranges) == 0:
        return mean, np.nan, baseline, moving_range
    mr_bar = float(baseline_ranges.mean())
    if settings.screen_outliers and mr_bar > 0:
        # Screen once, as the R package does: drop ranges >= 3.267 x the average and re-average.
        # (With an average of 0 nothing can be an outlier; the R code would return NaN limits.)
        mr_bar = float(baseline_ranges[baseline_ranges < SCREENING_FACTOR * mr_bar].mean())
    return mean, mr_bar, baseline, moving_range


class SpcResult:
    """An XmR chart: per-point table, segment limits, runs and headline summaries.

    Attributes:
    - points: DataFrame, one row per point in date order (built on first use).
    - columns: the same data as a dict of numpy arrays (cheap, for bulk work).
    - segments: list[SegmentLimits]; trial_limits: True if any segment is short.
    - runs: list[Run] found by the run rule, in every segment.
    - suggested_rebase / suggested_rebase_date: where a step change could start
      (first point of the earliest run in the latest segment). Only a
      suggestion: the chart is never rebased automatically.
    - variation: point_type of the latest observed point; assurance: against `target`.
    - notes: plain-English warnings for the page.

    In `points`, rule and point_type use pandas' string dtype, so a missing
    point's rule (None in `columns`) reads as missing (NaN) there.
    """

    def __init__(
        self,
        *,
        columns: dict[str, np.ndarray],
        segments: list[SegmentLimits],
        runs: list[Run],
        suggested_rebase: int | None,
        suggested_rebase_date: object,
        variation: str | None,
        assurance: str | None,
        improvement_direction: str,
        target: float | None,
    ) -> None:
        self.columns = columns
        self.segments = segments
        self.runs = runs
        self.suggested_rebase = suggested_rebase
        self.suggested_rebase_date = suggested_rebase_date
        self.variation = variation
        self.assurance = assurance
        self.improvement_direction = improvement_direction
        self.target = target

    @property
    def trial_limits(self) -> bool:
        return any(segment.trial_limits for segment in self.segments)

    @property
    def notes(self) -> list[str]:
        """Plain-English warnings to show beside the chart (trial limits, suggested step change)."""
        notes = []
        for segment in self.segments:
            if segment.trial_limits:
                notes.append(
                    f"The limits for points {segment.start + 1} to {segment.end + 1} are trial limits: "
                    f"they are based on {segment.n_points} points, and need at least {TRIAL_LIMITS_BELOW}."
                )
        if self.suggested_rebase is not None:
            when = self.suggested_rebase_date
            if when is None:
                start = f"point {self.suggested_rebase + 1}"
            else:
                # Charts are monthly, so "January 2023" reads better than a full timestamp.
                is_date = hasattr(when, "year") or isinstance(when, np.datetime64)
                start = pd.Timestamp(when).strftime("%B %Y") if is_date else str(when)
            notes.append(f"A sustained run starts at {start}: consider recalculating the limits from there.")
        return notes

    @cached_property
    def points(self) -> pd.DataFrame:
        return pd.DataFrame(self.columns)

    @property
    def segments_frame(self) -> pd.DataFrame:
        """One row per segment with the fields of SegmentLimits."""
        return pd.DataFrame([segment.__dict__ for segment in self.segments])

    def __repr__(self) -> str:
        return (
            f"<SpcResult {len(self.columns['value'])} points, {len(self.segments)} segment(s), "
            f"variation={self.variation!r}, suggested_rebase={self.suggested_rebase!r}>"
        )


def _as_values(values: object) -> np.ndarray:
    if isinstance(values, pd.Series):
        y = pd.to_numeric(values).astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    else:
        listed = values if isinstance(values, np.ndarray) else [np.nan if v is None else v for v in values]
        y = np.array(listed, dtype="float64")
    if np.isinf(y).any():
        raise ValueError("SPC values must be finite numbers (or missing).")
    return y


def _rebase_positions(rebase_at: Iterable[object], dates: pd.Index | None, n: int) -> list[int]:
    positions = set()
    for item in rebase_at:
        if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            position = int(item)
        elif dates is not None:
            try:
                position = dates.get_loc(item)
            except KeyError as error:
                raise ValueError(f"Rebase date {item!r} is not one of the chart's dates.") from error
        else:
            raise ValueError(f"Rebase point {item!r} must be a position, or a date when dates are given.")
        if not 0 <= position < n:
            raise ValueError(f"Rebase position {position} is outside the series (0..{n - 1}).")
        positions.add(position)
    positions.discard(0)
    return sorted(positions)


def _check_settings(settings: _Settings) -> None:
    _check_direction(settings.improvement_direction)
    if settings.run_length < 2 or settings.trend_length < 2:
        raise ValueError("run_length and trend_length must be at least 2.")
    if settings.fix_after_n_points is not None and settings.fix_after_n_points < 2:
        raise ValueError("fix_after_n_points needs at least 2 points to measure a moving range.")


def xmr(
    values: Sequence[float] | np.ndarray | pd.Series,
    *,
    dates: Sequence[object] | None = None,
    improvement_direction: str = DECREASE,
    screen_outliers: bool = False,
    fix_after_n_points: int | None = None,
    rebase_at: Iterable[object] = (),
    run_length: int = 7,
    trend_length: int = 7,
    target: float | None = None,
    clamp_lower_at_zero: bool = True,
) -> SpcResult:
    """XmR chart of one series with MDC special-cause rules (docs/methods.md §1).

    - values: the series (NaN/None = missing month, see the module docstring).
    - dates: optional labels; points are put in date order first.
    - improvement_direction: "decrease" for crime, "increase", or "neutral".
    - screen_outliers: drop moving ranges >= 3.267 x average once (R default; MDC Excel: off).
    - fix_after_n_points: limits from the first k observed points of each segment.
    - rebase_at: positions (0-based, date order) or dates where a new segment starts.
    - run_length / trend_length: points needed for a run / trend (7 and 7 as MDC).
    - target: optional, for the assurance summary.
    - clamp_lower_at_zero: lpl_display = max(lpl, 0) (counts cannot go below 0);
      the true lpl is always kept.

    Returns an SpcResult; its points table has one row per point with columns
    position, [date], value, missing, segment, baseline, moving_range, mean,
    mr_bar, upl, lpl, lpl_display, near_upl, near_lpl, outside_limits,
    relative_to_mean, close_to_limits, part_of_trend, part_of_two_in_three,
    part_of_run, rule, point_type, trial_limits.
    """
    settings = _Settings(
        improvement_direction, screen_outliers, fix_after_n_points, run_length, trend_length, clamp_lower_at_zero
    )
    _check_settings(settings)
    y = _as_values(values)
    date_index = None
    if dates is not None:
        date_index = pd.Index(dates)
        if len(date_index) != len(y):
            raise ValueError("values and dates must be the same length.")
        if date_index.has_duplicates:
            raise ValueError("Each date may appear only once in a series.")
        if not date_index.is_monotonic_increasing:
            order = np.argsort(date_index.to_numpy(), kind="stable")
            y, date_index = y[order], date_index[order]
    starts = [0, *_rebase_positions(rebase_at, date_index, len(y))]
    return _chart(y, date_index, starts, settings, target)


def _chart(
    y: np.ndarray, dates: pd.Index | None, starts: list[int], settings: _Settings, target: float | None
) -> SpcResult:
    n = len(y)
    columns: dict[str, np.ndarray] = {"position": np.arange(n)}
    if dates is not None:
        columns["date"] = dates.to_numpy()
    names = (
        "segment baseline moving_range mean mr_bar upl lpl near_upl near_lpl outside_limits relative_to_mean "
        "close_to_limits part_of_trend part_of_two_in_three part_of_run rule sign trial_limits"
    ).split()
    parts: dict[str, list[np.ndarray]] = {name: [] for name in names}
    segments: list[SegmentLimits] = []
    runs: list[Run] = []
    bounds = [*starts, n]
    for number, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:])):
        values = y[start:stop]
        size = stop - start
        mean, mr_bar, baseline, moving_range = _segment_limits(values, settings)
        upl, lpl = mean + LIMIT_FACTOR * mr_bar, mean - LIMIT_FACTOR * mr_bar
        near_upl, near_lpl = mean + NEAR_LIMIT_FACTOR * mr_bar, mean - NEAR_LIMIT_FACTOR * mr_bar
        observed = ~np.isnan(values)
        n_points = int(observed.sum())
        trial = n_points < TRIAL_LIMITS_BELOW
        segments.append(
            SegmentLimits(
                segment=number, start=start, end=stop - 1,
                start_date=None if dates is None else dates[start],
                n_points=n_points, n_baseline=int(baseline.sum()), mean=mean, mr_bar=mr_bar,
                upl=upl, lpl=lpl, near_upl=near_upl, near_lpl=near_lpl, trial_limits=trial,
            )
        )
        # Comparisons with NaN are False, so missing points are never outside or close.
        outside = (values > upl) | (values < lpl)
        side = _nan_to_zero(np.sign(values - mean)).astype(np.int64)
        close = ~outside & ((values < near_lpl) | (values > near_upl))
        in_trend = part_of(trend_ends(values, settings.trend_length), settings.trend_length)
        in_two = part_of_two_in_three(two_in_three(close, side), close)
        in_run = part_of(run_ends(side, settings.run_length), settings.run_length)
        labels, signs = label_points(
            y=values, relative_to_mean=side, outside_limits=outside, part_of_trend=in_trend,
            part_of_two_in_three=in_two, part_of_run=in_run,
            run_length=settings.run_length, trend_length=settings.trend_length,
        )
        labels[~observed] = None
        runs.extend(_runs_in(in_run, side, start, dates))

        for name, column in (
            ("segment", np.full(size, number)), ("baseline", baseline), ("moving_range", moving_range),
            ("mean", np.full(size, mean)), ("mr_bar", np.full(size, mr_bar)),
            ("upl", np.full(size, upl)), ("lpl", np.full(size, lpl)),
            ("near_upl", np.full(size, near_upl)), ("near_lpl", np.full(size, near_lpl)),
            ("outside_limits", outside), ("relative_to_mean", side), ("close_to_limits", close),
            ("part_of_trend", in_trend.astype(bool)), ("part_of_two_in_three", in_two.astype(bool)),
            ("part_of_run", in_run.astype(bool)), ("rule", labels), ("sign", signs),
            ("trial_limits", np.full(size, trial)),
        ):
            parts[name].append(column)

    joined = {name: np.concatenate(chunks) if chunks else np.zeros(0) for name, chunks in parts.items()}
    missing = np.isnan(y)
    types = point_types(joined.pop("sign"), settings.improvement_direction)
    types[missing] = MISSING
    lpl_display = np.maximum(joined["lpl"], 0.0) if settings.clamp_lower_at_zero else joined["lpl"].copy()

    columns.update(value=y, missing=missing)
    for name in names:
        if name == "sign":
            continue
        columns[name] = joined[name]
        if name == "lpl":
            columns["lpl_display"] = lpl_display
    columns["point_type"] = types

    last_segment = segments[-1] if segments else None
    suggestion = None
    if last_segment is not None:
        later_runs = [run for run in runs if run.start > last_segment.start]
        suggestion = later_runs[0].start if later_runs else None
    observed_positions = np.flatnonzero(~missing)
    variation = str(types[observed_positions[-1]]) if len(observed_positions) else None
    return SpcResult(
        columns=columns,
        segments=segments,
        runs=runs,
        suggested_rebase=suggestion,
        suggested_rebase_date=None if suggestion is None or dates is None else dates[suggestion],
        variation=variation,
        assurance=(
            assurance(target, last_segment.upl, last_segment.lpl, settings.improvement_direction)
            if last_segment is not None
            else None
        ),
        improvement_direction=settings.improvement_direction,
        target=target,
    )


def _runs_in(in_run: np.ndarray, side: np.ndarray, offset: int, dates: pd.Index | None) -> list[Run]:
    """The separate runs in one segment: maximal stretches flagged by the run rule on one side."""
    key = np.where(in_run == 1, side, 0)
    if not key.any():
        return []
    change = np.flatnonzero(np.diff(np.concatenate(([0], key, [0]))) != 0)
    runs = []
    for begin, finish in zip(change[:-1], change[1:]):
        if key[begin] != 0:
            start = offset + int(begin)
            runs.append(
                Run(
                    start=start,
                    end=offset + int(finish) - 1,
                    side="above" if key[begin] > 0 else "below",
                    start_date=None if dates is None else dates[start],
                )
            )
    return runs


def xmr_many(
    frame: pd.DataFrame,
    *,
    by: str | Sequence[str],
    value: str = "value",
    date: str = "date",
    rebase_at: Mapping[Hashable, Iterable[object]] | None = None,
    targets: Mapping[Hashable, float] | None = None,
    **settings: object,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """XmR charts for many series at once (e.g. 13 districts x 40 categories x 144 months).

    frame: long format, one row per series x date. by: the column(s) naming a
    series. rebase_at / targets: optional, keyed by the series key (a scalar for
    one `by` column, a tuple for several). Other keyword settings go to xmr().

    Returns (points, summary):
    - points: the `by` columns plus every column of SpcResult.points, all series stacked;
    - summary: one row per series with the latest segment's mean/upl/lpl,
      segments, trial_limits, variation, assurance, suggested_rebase_date.
    """
    by_columns = [by] if isinstance(by, str) else list(by)
    rebase_at = rebase_at or {}
    targets = targets or {}
    ordered = frame.sort_values([*by_columns, date], kind="stable")
    chunks: dict[str, list[np.ndarray]] = {}
    summary_rows = []
    for key, group in ordered.groupby(by_columns, sort=False, dropna=False):
        key = key[0] if len(by_columns) == 1 and isinstance(key, tuple) else key
        result = xmr(
            group[value], dates=group[date].to_numpy(), rebase_at=rebase_at.get(key, ()),
            target=targets.get(key), **settings,
        )
        length = len(group)
        key_values = key if isinstance(key, tuple) else (key,)
        for column, key_value in zip(by_columns, key_values):
            chunks.setdefault(column, []).append(np.full(length, key_value, dtype=object))
        for column, array in result.columns.items():
            chunks.setdefault(column, []).append(array)
        latest = result.segments[-1]
        summary_rows.append(
            {
                **dict(zip(by_columns, key_values)),
                "points": length,
                "segments": len(result.segments),
                "mean": latest.mean,
                "upl": latest.upl,
                "lpl": latest.lpl,
                "trial_limits": result.trial_limits,
                "variation": result.variation,
                "assurance": result.assurance,
                "suggested_rebase_date": result.suggested_rebase_date,
            }
        )
    points = pd.DataFrame({column: np.concatenate(arrays) for column, arrays in chunks.items()})
    return points, pd.DataFrame(summary_rows)
