"""The licence line under every page that shows published figures (one text, from loaders.published)."""

from __future__ import annotations

import streamlit as st

from loaders.published import ATTRIBUTION, OGL, OGL_URL


def published_attribution() -> None:
    """A small caption: Crown copyright, the DfE releases used, Open Government Licence v3.0 (linked)."""
    st.caption(
        ATTRIBUTION.replace(OGL, f"[{OGL}]({OGL_URL})"),
        help="Sources and years: data/published/ATTRIBUTION.md",
    )
