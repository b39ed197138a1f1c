"""The settings an admin manages: stored in the store's `settings` table, every change audited.

- la_code, "Default LA": the LA every page opens on (default: the LA the first load named).
- low_n, "Low-n threshold": a headline whose denominator is under it is "low n" and gets no RAG
  (metrics.headlines; default 10).
- suppression_threshold: the Export page's and the publication report's threshold; a viewer may not
  export with a lower one (default 5, metrics.disclosure).
- internal_marking: the protective marking an internal (not for publication) report starts with
  (default OFFICIAL-SENSITIVE).

`change` validates the new value, writes it and the audit entry (who, when, "label: old -> new")
in one write session, so a change and its entry land together. Who may change settings is the
app's check (pages/components/settings.py requires the admin role); here nothing is role-aware.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loaders.audit import record
from loaders.base import is_known_la, la_name
from loaders.store import Reader, write_session
from metrics.disclosure import DEFAULT_THRESHOLD
from metrics.kpis import Queryable

LOW_N_DEFAULT = 10
MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")  # as reports.pack.MARKINGS (metrics never imports reports)


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    help: str
    default: str | None
    parse: Callable[[str], str]  # the stored text for a typed value; ValueError saying what is expected


def _whole_number(low: int, high: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        try:
            number = int(text.strip())
        except ValueError:
            raise ValueError(f"expected a whole number from {low} to {high}") from None
        if not low <= number <= high:
            raise ValueError(f"expected a whole number from {low} to {high}")
        return str(number)

    return parse


def _marking(text: str) -> str:
    if text.strip() not in MARKINGS:
        raise ValueError(f"expected one of {', '.join(MARKINGS)}")
    return text.strip()


def _la(text: str) -> str:
    code = text.strip()
    if not is_known_la(code):
        raise ValueError("expected an English LA's 3-digit DfE code, e.g. 929")
    return code


SETTINGS: dict[str, Setting] = {
    setting.key: setting
    for setting in (
        Setting(
            "la_code", "Default LA", "The LA every page opens on (anyone may look at another).", None, _la
        ),
        Setting(
            "low_n",
            "Low-n threshold",
            "A headline whose denominator is under this is shown as low n and gets no RAG rating.",
            str(LOW_N_DEFAULT),
            _whole_number(2, 200),
        ),
        Setting(
            "suppression_threshold",
            "Suppression threshold for publication",
            "Counts from 1 to this minus 1 are suppressed in shared exports and publication reports; "
            "a viewer may not export with a lower one.",
            str(DEFAULT_THRESHOLD),
            _whole_number(2, 20),
        ),
        Setting(
            "internal_marking",
            "Protective marking of internal reports",
            "The marking an internal (not for publication) report starts with; publication copies are "
            "OFFICIAL.",
            "OFFICIAL-SENSITIVE",
            _marking,
        ),
    )
}


def current(store: Queryable) -> dict[str, str | None]:
    """Every setting's value: the stored one, else its default (None: la_code before any load)."""
    found = store.query("select key, value from settings")
    stored = dict(zip(found["key"], found["value"], strict=True))
    return {key: stored.get(key, setting.default) for key, setting in SETTINGS.items()}


def low_n(store: Queryable) -> int:
    return int(current(store)["low_n"] or LOW_N_DEFAULT)


def suppression_threshold(store: Queryable) -> int:
    return int(current(store)["suppression_threshold"] or DEFAULT_THRESHOLD)


def internal_marking(store: Queryable) -> str:
    return str(current(store)["internal_marking"] or "OFFICIAL-SENSITIVE")


def _shown(key: str, value: str | None) -> str:
    if value is None:
        return "not set"
    return f"{la_name(value)} ({value})" if key == "la_code" else value


def change(db: Path | str, user: str, key: str, text: str) -> tuple[str | None, str] | None:
    """Set `key` to `text` and audit it; (old, new), or None when the value is unchanged (nothing
    is written). Raises ValueError naming the setting and what is expected."""
    if key not in SETTINGS:
        raise ValueError(f"unknown setting {key!r}: expected one of {', '.join(SETTINGS)}")
    setting = SETTINGS[key]
    try:
        new = setting.parse(text)
    except ValueError as error:
        raise ValueError(f"{setting.label}: {error}") from None
    if current(Reader(db))[key] == new:
        return None
    with write_session(db) as writer:
        old = current(writer)[key]
        writer.execute("insert or replace into settings values (?, ?)", [key, new])
        record(writer, user, "settings", f"{setting.label}: {_shown(key, old)} -> {_shown(key, new)}")
    return old, new
