"""What the metrics read a store through (a loaders.store Reader or Writer, or anything with the
same `query`), and whether it holds a table. Imports nothing from metrics, so every module can use it."""

from __future__ import annotations

from typing import Any, Protocol

import pandas as pd


class Queryable(Protocol):
    def query(self, sql: str, params: Any = None) -> pd.DataFrame: ...


def has_table(store: Queryable, name: str) -> bool:
    """Whether the store holds the table (or view) `name`."""
    found = store.query("select count(*) as n from information_schema.tables where table_name = ?", [name])
    return bool(found["n"].iloc[0])
