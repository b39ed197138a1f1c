"""The admin settings (metrics.admin_settings): read by every page, changed only by an admin.

`change_setting` is the one way the app changes a setting; it checks the admin role itself, so a
viewer or analyst is refused whatever the page shows them, and the change is written with its
audit entry (who, when, old -> new).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loaders.store import Reader
from metrics import admin_settings
from metrics.disclosure import DEFAULT_THRESHOLD
from pages.components import auth
from pages.components.data import reader

LABELS = {key: setting.label for key, setting in admin_settings.SETTINGS.items()}


@dataclass(frozen=True)
class SettingChange:
    message: str  # what changed ("Low-n threshold: 10 -> 6") or why nothing did
    changed: bool


def _values() -> dict[str, str | None]:
    store = reader()
    if store.version is None:
        return {key: setting.default for key, setting in admin_settings.SETTINGS.items()}
    return admin_settings.current(Reader(store.path))


def publication_threshold() -> int:
    """The suppression threshold shared exports and publication reports start with."""
    return int(_values()["suppression_threshold"] or DEFAULT_THRESHOLD)


def internal_marking() -> str:
    return str(_values()["internal_marking"] or "OFFICIAL-SENSITIVE")


def settings_table() -> pd.DataFrame:
    """Each setting with its current value and what it does; admins only."""
    auth.require("admin", "Managing settings")
    values = _values()
    return pd.DataFrame(
        [
            {"Setting": s.label, "Value": values[key] or "not set", "What it does": s.help}
            for key, s in admin_settings.SETTINGS.items()
        ]
    )


def change_setting(key: str, text: str) -> SettingChange:
    """Change one setting as the signed-in admin (PermissionDenied for anyone else).

    A value that is not allowed is refused with the setting's name and what is expected; nothing
    is written then.
    """
    user = auth.require("admin", "Changing settings")
    try:
        done = admin_settings.change(reader().path, user.name, key, text)
    except ValueError as error:
        return SettingChange(message=f"Not changed. {error}.", changed=False)
    label = admin_settings.SETTINGS[key].label
    if done is None:
        return SettingChange(message=f"{label} is already {text.strip()}; nothing changed.", changed=False)
    old, new = done
    return SettingChange(
        message=f"{label}: {old or 'not set'} -> {new}. Recorded in the audit log.", changed=True
    )
