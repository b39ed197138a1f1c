"""The indicator catalogue: read from catalogue.toml, looked up by id, name or alias.

The catalogue is data so that an analyst can read (and a reviewer can check) every definition in
one file; this module only parses it and answers questions about it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

CATALOGUE_FILE = Path(__file__).resolve().parent / "catalogue.toml"

UNITS = ("%", "number", "rate per 10,000", "days")
POLARITIES = ("High", "Low", "none")
PERIOD_TYPES = ("month", "ytd", "rolling_12m", "year", "snapshot")
AREAS = ("Front door", "Child protection", "Children in care", "Care leavers", "Workforce")


@dataclass(frozen=True)
class EesSource:
    file: str
    filters: dict[str, str]
    value: str
    numerator: str
    denominator: str
    # how the value is obtained when the file does not publish it: "" (published in `value`),
    # "percent" (numerator / denominator x 100) or "per_10k_population" (numerator / ONS
    # population aged 0-17 x 10,000, at refresh time)
    derived: str = ""
    # columns summed to give the numerator (e.g. duration bands); default: the `numerator` column
    numerator_columns: tuple[str, ...] = ()
    # filters picking the row whose `denominator` column is the denominator (e.g. a Total row);
    # they override `filters`; empty: the denominator is on the same row as the value
    denominator_filters: dict[str, str] = field(default_factory=dict)

    @property
    def numerator_parts(self) -> tuple[str, ...]:
        return self.numerator_columns or ((self.numerator,) if self.numerator else ())


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    short_name: str
    area: str
    unit: str
    polarity: str
    decimal_places: int
    numerator: str
    denominator: str
    source_return: str
    definition: str
    period_types: tuple[str, ...]
    rag_tolerance: float
    no_quartile: bool
    lait_code: str
    ees: EesSource | None
    aliases: tuple[str, ...] = field(default=())
    headline_period: str = ""

    @property
    def has_polarity(self) -> bool:
        return self.polarity in ("High", "Low")

    @property
    def at_30_september(self) -> bool:
        """Workforce figures are a position at (or the year to) 30 September, the census date;
        every other published figure is at, or for the year to, 31 March."""
        return self.area == "Workforce"

    def format(self, value: float | None) -> str:
        """The value as a person reads it: 8.1%, 17.4, 45.0 per 10,000."""
        if value is None or value != value:
            return "–"
        number = f"{value:,.{self.decimal_places}f}"
        if self.unit == "%":
            return f"{number}%"
        if self.unit == "days":
            return f"{number} days"
        return number


def normalise_name(text: str) -> str:
    """Case- and punctuation-insensitive key: 'Re-referrals (%)' -> 're referrals'."""
    text = text.lower().replace("&", " and ").replace("+", " plus ").replace("%", " ")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _indicator(raw: dict[str, Any]) -> Indicator:
    ees_raw = raw.get("ees")
    ees = (
        EesSource(
            file=ees_raw["file"],
            filters=dict(ees_raw.get("filters", {})),
            value=ees_raw.get("value", ""),
            numerator=ees_raw.get("numerator", ""),
            denominator=ees_raw.get("denominator", ""),
            derived=ees_raw.get("derived", ""),
            numerator_columns=tuple(ees_raw.get("numerator_columns", ())),
            denominator_filters=dict(ees_raw.get("denominator_filters", {})),
        )
        if ees_raw
        else None
    )
    indicator = Indicator(
        id=raw["id"],
        name=raw["name"],
        short_name=raw["short_name"],
        area=raw["area"],
        unit=raw["unit"],
        polarity=raw["polarity"],
        decimal_places=int(raw["decimal_places"]),
        numerator=raw["numerator"],
        denominator=raw["denominator"],
        source_return=raw["source_return"],
        definition=raw["definition"],
        period_types=tuple(raw["period_types"]),
        rag_tolerance=float(raw["rag_tolerance"]),
        no_quartile=bool(raw.get("no_quartile", False)),
        lait_code=raw.get("lait_code", ""),
        ees=ees,
        aliases=tuple(raw.get("aliases", ())),
        headline_period=raw.get("headline_period", raw["period_types"][0]),
    )
    problems = []
    if indicator.unit not in UNITS:
        problems.append(f"unit {indicator.unit!r} not one of {UNITS}")
    if indicator.polarity not in POLARITIES:
        problems.append(f"polarity {indicator.polarity!r} not one of {POLARITIES}")
    if indicator.area not in AREAS:
        problems.append(f"area {indicator.area!r} not one of {AREAS}")
    bad_periods = set(indicator.period_types) - set(PERIOD_TYPES)
    if bad_periods:
        problems.append(f"period types {sorted(bad_periods)} not in {PERIOD_TYPES}")
    if indicator.headline_period not in indicator.period_types:
        problems.append(f"headline_period {indicator.headline_period!r} not one of its period_types")
    if problems:
        raise ValueError(f"catalogue.toml, indicator {indicator.id}: " + "; ".join(problems))
    return indicator


class Catalogue:
    """All catalogue indicators, in file order, with lookups by id and by name or alias."""

    def __init__(self, indicators: list[Indicator]) -> None:
        self.indicators = indicators
        self._by_id = {i.id: i for i in indicators}
        self._by_name: dict[str, str] = {}
        for indicator in indicators:
            for name in (indicator.id, indicator.name, indicator.short_name, *indicator.aliases):
                self._by_name.setdefault(normalise_name(name), indicator.id)

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._by_id

    def get(self, indicator_id: str) -> Indicator:
        return self._by_id[indicator_id]

    @property
    def ids(self) -> list[str]:
        return [i.id for i in self.indicators]

    def match(self, label: str) -> Indicator | None:
        """The indicator a performance-book row label refers to, by id, name or alias."""
        found = self._by_name.get(normalise_name(label))
        return self._by_id[found] if found else None

    def frame(self) -> pd.DataFrame:
        """The catalogue as a DataFrame (for the store and the pages)."""
        return pd.DataFrame(
            [
                {
                    "indicator_id": i.id,
                    "name": i.name,
                    "short_name": i.short_name,
                    "area": i.area,
                    "unit": i.unit,
                    "polarity": i.polarity,
                    "decimal_places": i.decimal_places,
                    "numerator": i.numerator,
                    "denominator": i.denominator,
                    "source_return": i.source_return,
                    "definition": i.definition,
                    "period_types": ",".join(i.period_types),
                    "rag_tolerance": i.rag_tolerance,
                    "no_quartile": i.no_quartile,
                    "lait_code": i.lait_code,
                    "headline_period": i.headline_period,
                }
                for i in self.indicators
            ]
        )


@lru_cache(maxsize=1)
def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    with open(path, "rb") as handle:
        raw = tomllib.load(handle)
    return Catalogue([_indicator(item) for item in raw["indicator"]])
