"""The UI layer shared by the pages: cached data access, chart builders, formatting and widgets.

Pages stay thin (pick filters, call one function from `data`, draw); everything a page would
otherwise repeat lives here, and the chart builders are plain functions tested without Streamlit.
"""
