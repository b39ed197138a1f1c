"""The Export preview: bounded, readable headers, the CSV names kept as the data's columns."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest


def _preview_app(rows: int) -> AppTest:
    def script(rows: int) -> None:
        import pandas as pd

        from pages.components.export_preview import show_preview

        frame = pd.DataFrame({"indicator_id": [f"i{n}" for n in range(rows)], "period_type": "month"})
        show_preview(frame, key="preview")

    app = AppTest.from_function(script, args=(rows,))
    app.run()
    assert not app.exception
    return app


def test_a_long_export_previews_its_first_200_rows_and_says_so() -> None:
    app = _preview_app(250)
    shown = app.dataframe[0].value
    assert shown["indicator_id"].tolist() == [f"i{n}" for n in range(200)]
    assert app.caption[0].value == (
        "The preview shows the first 200 of the download's 250 rows; the download has them all."
    )


def test_a_short_export_previews_every_row() -> None:
    app = _preview_app(3)
    assert len(app.dataframe[0].value) == 3
    assert app.caption[0].value == "The preview shows all 3 rows of the download."


def test_preview_headers_are_readable_with_the_csv_name_as_help() -> None:
    app = _preview_app(3)
    config = json.loads(app.dataframe[0].proto.columns)
    assert config["indicator_id"] == {"label": "Indicator id", "help": "CSV column `indicator_id`"}
    assert config["period_type"]["label"] == "Period type"


def test_every_export_column_has_a_readable_header() -> None:
    from metrics.export import EXPORT_COLUMNS
    from pages.components.export_preview import HEADERS

    assert set(EXPORT_COLUMNS) | {"hidden_because"} == set(HEADERS)
