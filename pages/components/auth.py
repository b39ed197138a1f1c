"""Who is using the app and what they may do: sign-in, roles and the permission check.

Sign-in is Streamlit's built-in OpenID Connect support (`st.login`, `st.user`), switched on by an
`[auth]` section in `.streamlit/secrets.toml`. Without one the app is in single-user mode: it
serves only this machine (see `is_local_request`) and the one user is an admin.

Roles come from a small TOML file ($CSC_ROLES, else `.streamlit/roles.toml`):

    default = "viewer"          # anyone signed in who is not listed below
    group_claim = "groups"      # the ID-token claim holding the user's groups
    [users]
    "ann.analyst@council.gov.uk" = "analyst"
    [groups]
    "csc-dashboard-admins" = "admin"

A user's role is the highest of their own entry, their groups' entries and the default. Viewers see
aggregates; analysts also upload files, export unsuppressed (child-derived) tables and write
commentary; admins also manage settings. The data functions call `require(...)` before acting, so
hiding a widget is never the only guard.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

ROLES = ("viewer", "analyst", "admin")
DEFAULT_ROLES_PATH = Path(".streamlit") / "roles.toml"
SINGLE_USER = "single user (this machine)"


class PermissionDenied(Exception):
    """An action the current user's role does not allow; the message says who, what and why."""


@dataclass(frozen=True)
class RoleMap:
    default: str = "viewer"
    group_claim: str = "groups"
    users: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class User:
    name: str  # the email (or subject) of a signed-in user; SINGLE_USER in single-user mode
    role: str
    single_user: bool

    def can(self, role: str) -> bool:
        return rank(self.role) >= rank(role)


def rank(role: str) -> int:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: expected one of {', '.join(ROLES)}")
    return ROLES.index(role)


def roles_path() -> Path:
    return Path(os.environ.get("CSC_ROLES") or DEFAULT_ROLES_PATH)


def load_roles(path: Path | None = None) -> RoleMap:
    """The role map from `path` (default `roles_path()`); a missing file maps everyone to viewer.

    Raises ValueError naming the file and entry when a role is not viewer, analyst or admin.
    """
    path = path or roles_path()
    if not path.exists():
        return RoleMap()
    with open(path, "rb") as handle:
        raw = tomllib.load(handle)

    def checked(where: str, value: object) -> str:
        if value not in ROLES:
            raise ValueError(f"{path}: {where} has role {value!r}; expected one of {', '.join(ROLES)}")
        return str(value)

    users = {str(k).lower(): checked(f"users.{k}", v) for k, v in raw.get("users", {}).items()}
    groups = {str(k): checked(f"groups.{k}", v) for k, v in raw.get("groups", {}).items()}
    return RoleMap(
        default=checked("default", raw.get("default", "viewer")),
        group_claim=str(raw.get("group_claim", "groups")),
        users=users,
        groups=groups,
    )


def role_for(email: str | None, claims: dict[str, Any], roles: RoleMap) -> str:
    """The highest role among the default, the user's own entry and their groups' entries."""
    found = [roles.default]
    if email and email.lower() in roles.users:
        found.append(roles.users[email.lower()])
    groups = claims.get(roles.group_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    found.extend(roles.groups[g] for g in groups if g in roles.groups)
    return max(found, key=rank)


def auth_configured() -> bool:
    """Whether `.streamlit/secrets.toml` has an [auth] section (sign-in is switched on)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def is_local_request() -> bool:
    """Whether this session's browser is on this machine.

    Streamlit gives None for a loopback connection; anything but a string means there is no real
    connection (AppTest), which is local too. Besides this check, .streamlit/config.toml binds the
    server to 127.0.0.1.
    """
    address = st.context.ip_address
    if not isinstance(address, str) or not address:
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def current_user() -> User:
    """The signed-in user with their role, or the single user (admin) when sign-in is off.

    With sign-in on and nobody signed in, the user is an anonymous viewer (the app asks them to
    sign in before any page draws).
    """
    if not auth_configured():
        return User(name=SINGLE_USER, role="admin", single_user=True)
    if not st.user.is_logged_in:
        return User(name="not signed in", role="viewer", single_user=False)
    claims = st.user.to_dict()
    email = claims.get("email") or claims.get("preferred_username") or claims.get("sub")
    role = role_for(str(email) if email else None, claims, load_roles())
    return User(name=str(email or "unknown"), role=role, single_user=False)


def require(role: str, action: str) -> User:
    """The current user, if their role is at least `role`; else PermissionDenied saying why.

    `action` completes "... needs the analyst role", e.g. "Loading files".
    """
    user = current_user()
    if not user.can(role):
        raise PermissionDenied(
            f"{action} needs the {role} role; you are signed in as {user.name} with the {user.role} "
            f"role. Ask an admin to add you to {roles_path()}."
        )
    return user
