"""Keyed hashes of the 903 placement postcode and Ofsted URN, so rules can compare them unseen.

The DfE rules 434-436 ask whether an episode's placement (PL_POST, URN) is the same as the
previous episode's, and 503F whether the URN of this year's first episode is that of last year's
open last episode. Only equality matters, so the store keeps a keyed hash (HMAC-SHA256) of each,
never the value (DOMAIN.md: postcodes identify a child):

- PL_POST with a key made for the one load and then forgotten: nobody, holding the store or not,
  can recover a postcode by hashing every UK postcode. Hashes are therefore comparable only
  between rows of the same load (the rules compare an episode with the previous one in the same
  file, and check that both came in the same batch).
- URN with a key kept in the store's settings: 503F compares it across years' files. URNs are
  Ofsted's public register numbers of providers, not of children; the hash keeps a provider's
  number out of casual sight, but someone holding the store file (and so the key) could try every
  URN, as they could read the child ids and dates of birth beside it.
- CHILD with another key kept in the store's settings, as the child's id in the rows the loader
  refuses (ssda903_refused_episodes, ssda903_refused_oc3; loaders/ssda903.py), which hold no id in
  clear; the stored rows carry the same hash (child_key) beside their id, so a rule can find a
  refused row's child among them. The id is hashed as written (no case folding).

A blank value has no hash (NULL).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import pandas as pd

from loaders.store import Writer

URN_KEY_SETTING = "urn_hash_key"
CHILD_KEY_SETTING = "child_hash_key"


def load_key() -> bytes:
    """A key for one load's postcodes, never stored."""
    return secrets.token_bytes(32)


def _stored_key(writer: Writer, setting: str) -> bytes:
    found = writer.query("select value from settings where key = ?", [setting])
    if not found.empty:
        return bytes.fromhex(str(found["value"].iloc[0]))
    key = secrets.token_bytes(32)
    writer.execute("insert into settings (key, value) values (?, ?)", [setting, key.hex()])
    return key


def urn_key(writer: Writer) -> bytes:
    """The store's URN key, made on first use."""
    return _stored_key(writer, URN_KEY_SETTING)


def child_key(writer: Writer) -> bytes:
    """The store's key for child ids, made on first use."""
    return _stored_key(writer, CHILD_KEY_SETTING)


def keyed_hashes(values: pd.Series, key: bytes, normalise: bool = True) -> pd.Series:
    """Each value's keyed hash (with `normalise`, upper case and spaces removed first); blank gives
    NULL."""
    def one(value: object) -> str | None:
        text = str(value).strip() if isinstance(value, str) else ""
        text = "".join(text.split()).upper() if normalise else text
        if not text:
            return None
        return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:32]

    return values.map(one).astype(object)
