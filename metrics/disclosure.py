"""Small-number suppression for exports meant for sharing.

Published children's social care figures never reveal a count between 1 and the threshold minus 1
(default threshold 5: counts 1 to 4), directly or by arithmetic on what else is shown. The DfE
marks such cells "c". This module applies that rule to the export's tidy KPI rows.

The rule, applied per row and then across rows:

1. Primary suppression. A count is small when 1 <= count < threshold (0 is shown: it reveals no
   individual). If the denominator is small, the numerator, denominator and value are all "c".
   If the numerator is small, or the complement (denominator - numerator: e.g. care leavers NOT in
   touch) is small, the numerator and the value are "c"; the denominator alone reveals nothing.
   Without both counts and without the value nothing in the row gives the suppressed count back:
   value x denominator, numerator / value and denominator - numerator all need a hidden cell.
2. Differencing within a year to date series. Year-to-date counts of consecutive months in the same
   reporting year differ by that month's count, so a difference of 1 to threshold-1 between two
   shown ytd rows (in numerator, denominator or complement) reveals a small monthly count. The later
   row is suppressed (numerator, denominator and value), and the comparison repeats against the
   last shown row until no small difference is left.
3. Linked period types. Month counts sum to year-to-date and rolling 12-month counts. When an
   indicator's export holds month rows together with ytd or rolling 12-month rows and any count of
   that indicator is suppressed, every count and value in its ytd and rolling 12-month rows is
   suppressed too, since differencing them with shown months could give a hidden count back.

Rolling 12-month rows on their own differ month to month by (this month - the same month a year
earlier), which is not a count of anything, so they are only covered by rules 1 and 3. Values with
no counts (e.g. an average from published figures) pass through unchanged; a percentage given with
its denominator but no numerator is judged on the numerator it implies (value x denominator / 100).
Suppressed cells are the text "c" (never 0, never a number) and the row's status becomes "c".
"""

from __future__ import annotations

import pandas as pd

SUPPRESSED = "c"
DEFAULT_THRESHOLD = 5
COUNT_COLUMNS = ("numerator", "denominator", "value")
LINKED_TYPES = ("ytd", "rolling_12m")


def is_small(count: float | None, threshold: int) -> bool:
    """1 <= count < threshold (a missing count is not small)."""
    if count is None or pd.isna(count):
        return False
    return 1 <= float(count) < threshold


def _small(counts: pd.Series, threshold: int) -> pd.Series:
    """Rule 1, vectorised: 1 <= count < threshold (missing is not small)."""
    return ((counts >= 1) & (counts < threshold)).fillna(False).astype(bool)


def _differences_small(earlier: pd.Series, later: pd.Series, threshold: int) -> bool:
    """Whether two ytd rows of the same year differ by a small count (rule 2)."""
    gaps = []
    for column in ("numerator", "denominator"):
        if pd.notna(earlier[column]) and pd.notna(later[column]):
            gaps.append(float(later[column]) - float(earlier[column]))
    if all(pd.notna(row[c]) for row in (earlier, later) for c in ("numerator", "denominator")):
        gaps.append(
            (float(later["denominator"]) - float(later["numerator"]))
            - (float(earlier["denominator"]) - float(earlier["numerator"]))
        )
    return any(is_small(abs(gap), threshold) for gap in gaps)


def implied_numerators(frame: pd.DataFrame) -> pd.Series:
    """The numerator, or for a percentage given only as value and denominator, value x denominator / 100.

    A percentage with its denominator gives its numerator back, so a row without a numerator is
    judged on the count it implies.
    """
    numerators = pd.to_numeric(frame["numerator"], errors="coerce").astype("float64")
    if "unit" not in frame.columns:
        return numerators
    implied = (
        pd.to_numeric(frame["value"], errors="coerce")
        * pd.to_numeric(frame["denominator"], errors="coerce")
        / 100
    ).round()
    is_percentage = frame["unit"] == "%"
    return numerators.where(numerators.notna() | ~is_percentage, implied)


def suppression_mask(frame: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Booleans (numerator, denominator, value) saying which cells of `frame` to hide.

    `frame` has columns la_code, indicator_id, period_end, period_type, numerator, denominator and
    value (other columns are ignored). The index of the result is the index of `frame`.
    """
    numerators = implied_numerators(frame)
    denominators = pd.to_numeric(frame["denominator"], errors="coerce").astype("float64")
    small_denominator = _small(denominators, threshold)
    small_count = _small(numerators, threshold) | _small(denominators - numerators, threshold)
    hide = pd.DataFrame(
        {
            "numerator": small_denominator | small_count,
            "denominator": small_denominator,
            "value": small_denominator | small_count,
        },
        index=frame.index,
    )

    ytd = frame[frame["period_type"] == "ytd"]
    if not ytd.empty:
        year_end = pd.to_datetime(ytd["period_end"]).map(lambda d: d.year + 1 if d.month >= 4 else d.year)
        keys = ytd.assign(_year_end=year_end).sort_values("period_end")
        for _, series in keys.groupby(["la_code", "indicator_id", "_year_end"], sort=False):
            last_shown: pd.Series | None = None
            for index, row in series.iterrows():
                if hide.loc[index, ["numerator", "denominator"]].any():
                    continue
                if last_shown is not None and _differences_small(last_shown, row, threshold):
                    hide.loc[index, list(COUNT_COLUMNS)] = True
                    continue
                last_shown = row

    counted = frame["numerator"].notna() | frame["denominator"].notna()
    for _, group in frame[counted].groupby(["la_code", "indicator_id"], sort=False):
        types = set(group["period_type"])
        if "month" not in types or not types & set(LINKED_TYPES):
            continue
        if hide.loc[group.index].any(axis=None):
            linked = group.index[group["period_type"].isin(LINKED_TYPES)]
            hide.loc[linked, list(COUNT_COLUMNS)] = True
    return hide


def suppress(frame: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """`frame` with small counts, and whatever would reveal them, replaced by "c".

    The count and value columns become text columns (numbers as they were, "c" where hidden);
    a hidden row's status becomes "c". Other columns are unchanged.
    """
    if frame.empty:
        return frame.copy()
    hide = suppression_mask(frame, threshold)
    result = frame.copy()
    for column in COUNT_COLUMNS:
        shown = result[column].astype(object).where(~hide[column], SUPPRESSED)
        result[column] = shown
    if "status" in result.columns:
        any_hidden = hide.any(axis=1)
        result["status"] = result["status"].astype(object).where(~any_hidden, SUPPRESSED)
    return result
