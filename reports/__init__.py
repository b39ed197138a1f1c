"""The committee report pack: a board or scrutiny report built from the store (issue 14).

`reports.pack` gathers every section's figures through the metrics functions the pages use;
`reports.charts` draws the trend charts (plotly figures drawn at print resolution by plotly.js in
one headless Chromium page, reports.browser); `reports.docx` and `reports.pdf` write the pack;
`reports.build` ties them together for the CLI (`python -m reports build ...`) and the Reports
page. This package may import metrics and plotly, never streamlit (an import-linter contract).
"""
