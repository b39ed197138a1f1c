"""The committee report pack as data: every section's figures and words, ready to print.

`build_pack` reads the store through the same metrics functions the dashboard's pages use (the
KPI table and each indicator's latest value as the Overview shows it, the improvement plan's
status, caseload breakdowns, commentary, data-quality findings, the catalogue), and lays them out
as the seeds lay them out: a cover, the summary sentence ("N indicators are rated Green, N Amber,
N Red; N improving, N declining"), the exceptions (every red indicator with its commentary), a
table and trend charts per area, the improvement plan appendix, caseloads by service area and
team, data-quality notes and definitions. The DOCX and PDF writers (reports.docx, reports.pdf)
and the Reports page's preview all draw this one object, so they cannot disagree.

For publication (Part I papers on the council's website) small counts are suppressed with the
Export page's function over the LA's whole KPI table (metrics.disclosure), a suppressed value gets
no RAG (a colour would tell its band), and caseloads are shown per group only: no ranges (a range
is two workers' caseloads) and no average for a group of fewer case holders than the threshold.
No section ever holds a child's or a worker's row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from loaders.base import la_name
from metrics import caseload, store_views
from metrics.catalogue import load_catalogue
from metrics.commentary import current_commentary
from metrics.disclosure import DEFAULT_THRESHOLD, SUPPRESSED, suppress
from metrics.headlines import headlines
from metrics.improvement_plan import RAG_RULE, plan_status
from metrics.kpis import DEFAULT_SN_MODEL, Queryable, kpi_table
from metrics.periods import month_end, reporting_year_end, reporting_year_label
from reports import formatting as fmt

AREAS = {
    "front_door": "Front door",
    "child_protection": "Child protection",
    "children_in_care": "Children in care",
    "care_leavers": "Care leavers",
    "workforce": "Workforce",
}
MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")
DEFAULT_TITLE = "Children's social care performance report"
INDICATOR_COLUMNS = [
    "Indicator",
    "Value",
    "Period",
    "n",
    "Target",
    "RAG",
    "Direction",
    "SN average",
    "Region",
    "England",
    "Quartile",
    "Rank",
]
PLAN_COLUMNS = [
    "Ref",
    "Recommendation",
    "Linked indicators",
    "Baseline",
    "Latest",
    "Target",
    "RAG",
    "Commentary",
]
KEY = ["la_code", "indicator_id", "period_end", "period_type"]
SYNTHETIC_SETTINGS = ("demo", "synthetic")


@dataclass(frozen=True)
class PackOptions:
    """What to put in the pack; `month` is any day of the reporting month."""

    la_code: str
    month: date
    areas: tuple[str, ...] = tuple(AREAS)
    charts: tuple[str, ...] | None = None  # indicator ids to chart; None: every red indicator
    for_publication: bool = False
    title: str = DEFAULT_TITLE
    meeting: str = ""
    meeting_date: date | None = None
    marking: str | None = None  # None: OFFICIAL for publication, else OFFICIAL-SENSITIVE
    sn_model: str = DEFAULT_SN_MODEL
    chart_months: int = 24
    threshold: int = DEFAULT_THRESHOLD

    def __post_init__(self) -> None:
        unknown = [a for a in self.areas if a not in AREAS]
        if unknown:
            raise ValueError(f"unknown area {', '.join(unknown)}: expected some of {', '.join(AREAS)}")
        if self.marking is not None and self.marking not in MARKINGS:
            raise ValueError(f"protective marking {self.marking!r}: expected one of {', '.join(MARKINGS)}")

    @property
    def month_end(self) -> date:
        return month_end(self.month)

    @property
    def protective_marking(self) -> str:
        if self.marking is not None:
            return self.marking
        return "OFFICIAL" if self.for_publication else "OFFICIAL-SENSITIVE"


@dataclass
class Table:
    """A printed table: header, rows of text, and per row the RAG colour of its RAG cell."""

    columns: list[str]
    rows: list[list[str]]
    rag: list[str | None] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.rows

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.columns)


@dataclass
class ChartData:
    """One indicator's trend, for reports.charts: LA values with target and comparators."""

    indicator_id: str
    title: str  # names the LA and the period
    unit: str
    decimal_places: int
    polarity: str
    series: pd.DataFrame  # period_end, value (None where missing or suppressed), target, sn, england
    suppressed_points: int = 0


@dataclass
class Exception_:
    indicator: str
    area: str
    value: str
    target: str
    period: str
    commentary: str
    commentary_by: str


@dataclass
class AreaSection:
    key: str
    name: str
    table: Table
    headlines: pd.DataFrame  # the rows the table shows, unformatted (as metrics gave them)
    charts: list[ChartData]


@dataclass
class Definition:
    name: str
    definition: str
    numerator: str
    denominator: str
    polarity: str
    source: str


@dataclass
class Pack:
    options: PackOptions
    la_name: str
    period_label: str  # "November 2026"
    reporting_year: str  # "2026/27"
    marking: str
    generated_at: datetime
    synthetic: bool
    counts: dict[str, int]
    improving: int
    declining: int
    not_rated: int
    summary_sentence: str
    exceptions: list[Exception_]
    areas: list[AreaSection]
    plan: Table
    plan_sentence: str
    caseload_tables: list[tuple[str, Table]]
    caseload_note: str
    dq_notes: Table
    definitions: list[Definition]
    reading_notes: list[str]

    @property
    def charts(self) -> list[ChartData]:
        return [chart for area in self.areas for chart in area.charts]


def summary_sentence(counts: dict[str, int], improving: int, declining: int) -> str:
    """'11 indicators are rated Green, 6 Amber, 0 Red; 5 improving, 3 declining.' (seed 000)."""
    verb = "indicator is" if counts["green"] == 1 else "indicators are"
    return (
        f"{counts['green']} {verb} rated Green, {counts['amber']} Amber, {counts['red']} Red; "
        f"{improving} improving, {declining} declining."
    )


def plan_sentence(counts: dict[str, int], not_rated: int) -> str:
    verb = "recommendation is" if counts["green"] == 1 else "recommendations are"
    text = f"{counts['green']} {verb} rated Green, {counts['amber']} Amber, {counts['red']} Red"
    return text + (f"; {not_rated} not rated." if not_rated else ".")


def headline_rows(store: Queryable, la_code: str, table: pd.DataFrame, month: date) -> pd.DataFrame:
    """Each indicator's headline for the month as the Overview shows it (`metrics.headlines`)."""
    return headlines(store, la_code, month, table=table[table["period_end"] <= month])


def publication_rows(masked: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` with the Export page's small-number suppression; `masked` is `suppress` of the LA's
    whole table, worked out once per pack (it is the slowest step of a publication pack)."""
    if rows.empty:
        return rows
    keyed = rows.drop(columns=["numerator", "denominator", "value", "status"]).merge(
        masked[KEY + ["numerator", "denominator", "value", "status"]], on=KEY, how="left"
    )
    keyed.index = rows.index
    hidden = keyed["status"].astype(str) == SUPPRESSED
    for column in ("rag", "rating"):
        if column in keyed:
            keyed[column] = keyed[column].where(~hidden, None)
    return keyed[rows.columns]


def _is_synthetic(store: Queryable) -> bool:
    values = store_views.settings(store)
    return any(
        str(values.get(key, "")).lower() in ("synthetic", "demo", "true") for key in SYNTHETIC_SETTINGS
    )


def build_pack(store: Queryable, options: PackOptions, *, now: datetime | None = None) -> Pack:
    """Everything the report shows for `options`, read from `store`."""
    month = options.month_end
    whole = kpi_table(store, options.la_code, sn_model=options.sn_model)
    full = whole[whole["period_end"] <= month].reset_index(drop=True)
    rows = headline_rows(store, options.la_code, full, month)
    # the mask of the LA's whole table, every month, as the Export page's: a pack for an earlier
    # month hides what the export and later packs hide, so side by side they give nothing away
    masked = suppress(whole, options.threshold) if options.for_publication else None
    if masked is not None:
        full_shown = publication_rows(masked, full)
        rows = publication_rows(masked, rows)
    else:
        full_shown = full
    chosen = [AREAS[a] for a in options.areas]
    rows = rows[rows["area"].isin(chosen)].reset_index(drop=True)
    texts = current_commentary(store, options.la_code)
    indicator_texts = texts[texts["indicator_id"].notna()] if not texts.empty else texts

    counts = {c: int((rows["rag"] == c).sum()) for c in ("green", "amber", "red")}
    improving = int((rows["direction"] == "improved").sum())
    declining = int((rows["direction"] == "declined").sum())
    chart_ids = (
        set(rows.loc[rows["rag"] == "red", "indicator_id"]) if options.charts is None else set(options.charts)
    )
    name = la_name(options.la_code)
    areas = []
    for key in options.areas:
        area_rows = rows[rows["area"] == AREAS[key]].sort_values("short_name").reset_index(drop=True)
        charts = [
            _chart(full_shown, row, name, month, options.chart_months)
            for row in area_rows.itertuples()
            if row.indicator_id in chart_ids
        ]
        areas.append(AreaSection(key, AREAS[key], _indicator_table(area_rows), area_rows, charts))

    exceptions = [
        _exception(row, indicator_texts, month)
        for area in areas
        for row in area.headlines.itertuples()
        if row.rag == "red"
    ]
    plan, plan_text = _plan(store, options, full, masked, texts, month)
    caseload_tables, caseload_note = _caseloads(store, options, month)
    return Pack(
        options=options,
        la_name=name,
        period_label=f"{month:%B %Y}",
        reporting_year=reporting_year_label(reporting_year_end(month)),
        marking=options.protective_marking,
        generated_at=now or datetime.now(),
        synthetic=_is_synthetic(store),
        counts=counts,
        improving=improving,
        declining=declining,
        not_rated=int(rows["rag"].isna().sum()),
        summary_sentence=summary_sentence(counts, improving, declining),
        exceptions=exceptions,
        areas=areas,
        plan=plan,
        plan_sentence=plan_text,
        caseload_tables=caseload_tables,
        caseload_note=caseload_note,
        dq_notes=_dq_notes(store, options, rows),
        definitions=_definitions(rows),
        reading_notes=_reading_notes(options),
    )


def _indicator_table(rows: pd.DataFrame) -> Table:
    cells = []
    for r in rows.itertuples():
        unit, places = str(r.unit), int(r.decimal_places)
        cells.append(
            [
                str(r.short_name),
                fmt.number(r.value, unit, places, r.status),
                fmt.period(r.period_end, r.period_type, r.indicator_id),
                fmt.n_text(r.numerator, r.denominator, unit),
                fmt.number(r.target, unit, places),
                fmt.rag(r.rating),
                fmt.direction(r.direction),
                fmt.number(r.sn_mean, unit, places),
                fmt.number(r.region, unit, places),
                fmt.number(r.england, unit, places),
                fmt.text(r.quartile),
                fmt.rank(r.rank, r.rank_of),
            ]
        )
    return Table(INDICATOR_COLUMNS, cells, [r if isinstance(r, str) else None for r in rows["rag"]])


def _chart(full: pd.DataFrame, row: Any, name: str, month: date, months: int) -> ChartData:
    first = pd.Timestamp(month) - pd.DateOffset(months=months - 1)
    series = full[
        (full["indicator_id"] == row.indicator_id)
        & (full["period_type"] == row.period_type)
        & (pd.to_datetime(full["period_end"]) >= first)
    ].sort_values("period_end")
    values = pd.to_numeric(series["value"], errors="coerce")
    shown = values.where(series["status"].fillna("").astype(str) == "")
    period_words = fmt.PERIOD_WORDS.get(str(row.period_type), str(row.period_type))
    first_month = series["period_end"].min() if not series.empty else month
    return ChartData(
        indicator_id=str(row.indicator_id),
        title=f"{name}: {row.short_name} ({period_words}), {first_month:%b %Y} to {month:%b %Y}",
        unit=str(row.unit),
        decimal_places=int(row.decimal_places),
        polarity=str(row.polarity),
        series=pd.DataFrame(
            {
                "period_end": pd.to_datetime(series["period_end"]).to_numpy(),
                "value": shown.to_numpy(),
                "target": pd.to_numeric(series["target"], errors="coerce").to_numpy(),
                "sn": pd.to_numeric(series["sn_mean"], errors="coerce").to_numpy(),
                "england": pd.to_numeric(series["england"], errors="coerce").to_numpy(),
            }
        ),
        suppressed_points=int((series["status"].astype(str) == SUPPRESSED).sum()),
    )


def _exception(row: Any, texts: pd.DataFrame, month: date) -> Exception_:
    unit, places = str(row.unit), int(row.decimal_places)
    found = pd.DataFrame()
    if not texts.empty:
        mine = texts[texts["indicator_id"] == row.indicator_id]
        found = mine[mine["month"] == month]
        if found.empty:
            found = mine[mine["month"] == row.period_end]
    if found.empty:
        commentary, by = "No commentary was recorded for this month.", ""
    else:
        entry = found.iloc[-1]
        commentary = str(entry["text"])
        written = pd.Timestamp(entry["created_at"])
        by = f"{entry['author']}, {written:%d %b %Y} (version {int(entry['version'])})"
    return Exception_(
        indicator=str(row.short_name),
        area=str(row.area),
        value=fmt.number(row.value, unit, places, row.status),
        target=fmt.number(row.target, unit, places),
        period=fmt.period(row.period_end, row.period_type, row.indicator_id),
        commentary=commentary,
        commentary_by=by,
    )


def _plan(
    store: Queryable,
    options: PackOptions,
    full: pd.DataFrame,
    masked: pd.DataFrame | None,
    texts: pd.DataFrame,
    month: date,
) -> tuple[Table, str]:
    """The plan rated as at the reporting month, from the pack's own KPI table."""
    status = plan_status(store, options.la_code, sn_model=options.sn_model, month=month, table=full)
    if status.recommendations.empty:
        return Table(PLAN_COLUMNS, []), "No improvement plan is loaded for this LA."
    links = status.links
    if masked is not None and not links.empty:
        known = links.dropna(subset=["period_end"]).assign(la_code=options.la_code)
        shown = publication_rows(masked, known)
        links = links.astype(object)
        for column in ("value", "status", "numerator", "denominator", "rag"):
            links.loc[shown.index, column] = shown[column]
    recommendation_texts = texts[texts["recommendation_ref"].notna()] if not texts.empty else texts
    rows, rags = [], []
    for rec in status.recommendations.itertuples():
        mine = links[links["ref"] == rec.ref]
        latest = "; ".join(
            f"{link.indicator_name} {fmt.number(link.value, link.unit, link.decimal_places, link.status)}"
            f" ({fmt.period(link.period_end)})"
            for link in mine.itertuples()
        )
        targets = "; ".join(
            f"{link.indicator_name} {fmt.number(link.target_used, link.unit, link.decimal_places)}"
            for link in mine.itertuples()
            if not fmt.is_missing(link.target_used)
        )
        rag = rec.rag if not options.for_publication or _rated_after_suppression(rec, mine) else None
        rows.append(
            [
                str(rec.ref),
                str(rec.recommendation),
                fmt.text(rec.linked_names),
                fmt.text(rec.baseline),
                latest or fmt.MISSING,
                fmt.text(rec.target) if not fmt.is_missing(rec.target) else (targets or fmt.MISSING),
                fmt.rag(rag),
                _recommendation_text(recommendation_texts, str(rec.ref), month),
            ]
        )
        rags.append(rag if isinstance(rag, str) else None)
    counts = {c: rags.count(c) for c in ("green", "amber", "red")}
    return Table(PLAN_COLUMNS, rows, rags), plan_sentence(counts, rags.count(None))


def _rated_after_suppression(rec: Any, links: pd.DataFrame) -> bool:
    """A manual RAG stands; a derived one needs a shown value among its links."""
    if isinstance(rec.rag_override, str) and rec.rag_override:
        return True
    return bool(links["rag"].notna().any())


def _recommendation_text(texts: pd.DataFrame, ref: str, month: date) -> str:
    """The newest commentary on the recommendation at or before the month, with its month."""
    if texts.empty:
        return fmt.MISSING
    mine = texts[(texts["recommendation_ref"].astype(str) == ref) & (texts["month"] <= month)]
    if mine.empty:
        return fmt.MISSING
    entry = mine.sort_values("month").iloc[-1]
    return f"{entry['text']} ({entry['month']:%b %Y}, {entry['author']})"


def _caseloads(store: Queryable, options: PackOptions, month: date) -> tuple[list[tuple[str, Table]], str]:
    ends = [m for m in caseload.caseload_month_ends(store, options.la_code) if m <= month]
    if not ends:
        return [], "No caseload lists are loaded for this LA up to this month."
    latest = ends[-1]
    year_start = date(reporting_year_end(latest) - 1, 3, 31)
    earlier = [m for m in ends if m <= year_start] or [m for m in ends if m < latest]
    compare = earlier[-1] if earlier else None
    tables = []
    for group_type, label in (("service_area", "Service area"), ("team", "Team")):
        tables.append(
            (
                f"Caseloads by {label.lower()}",
                _caseload_table(store, options, group_type, label, latest, compare),
            )
        )
    overall = caseload.caseload_breakdown(store, options.la_code, latest, "all")
    note = f"Caseload lists at {latest:%d %B %Y}" + (f", compared with {compare:%d %B %Y}" if compare else "")
    if not overall.empty:
        row = overall.iloc[0]
        note += (
            f". Across the service: {fmt.number(row['average'])} cases per FTE held by "
            f"{int(row['case_holders'])} case-holding social workers"
        )
    note += ". Average = cases held divided by the FTE of the case holders."
    if options.for_publication:
        note += (
            f" For publication, ranges are left out (each end is one worker's caseload) and a group of "
            f"fewer than {options.threshold} case holders shows c."
        )
    return tables, note


def _caseload_table(
    store: Queryable, options: PackOptions, group_type: str, label: str, latest: date, compare: date | None
) -> Table:
    current = caseload.caseload_breakdown(store, options.la_code, latest, group_type)
    before = (
        caseload.caseload_breakdown(store, options.la_code, compare, group_type).set_index("group_name")
        if compare
        else pd.DataFrame()
    )
    publication = options.for_publication
    columns = [label]
    if compare:
        columns += [f"Caseload average {compare:%B %Y}"] + ([] if publication else [f"Range {compare:%B %Y}"])
    columns += [f"Caseload average {latest:%B %Y}"] + ([] if publication else [f"Range {latest:%B %Y}"])
    columns += ["Case holders", "Within standard"]
    rows = []
    for group in current.itertuples():
        cells = [str(group.group_name)]
        if compare:
            old = before.loc[group.group_name] if group.group_name in before.index else None
            cells += _caseload_cells(old, publication, options.threshold)
        cells += _caseload_cells(group, publication, options.threshold)
        small = publication and int(group.case_holders) < options.threshold
        cells += [
            str(int(group.case_holders)),
            SUPPRESSED if small else fmt.number(group.share_within_standard, "%", 0),
        ]
        rows.append(cells)
    return Table(columns, rows)


def _caseload_cells(group: object, publication: bool, threshold: int) -> list[str]:
    if group is None:
        return [fmt.MISSING] if publication else [fmt.MISSING, fmt.MISSING]
    get = group.__getitem__ if isinstance(group, pd.Series) else lambda k: getattr(group, k)
    small = publication and int(get("case_holders")) < threshold
    average = SUPPRESSED if small else fmt.number(get("average"))
    if publication:
        return [average]
    low, high = get("min_cases"), get("max_cases")
    return [average, fmt.MISSING if fmt.is_missing(low) else f"{int(low)}-{int(high)}"]


def _dq_notes(store: Queryable, options: PackOptions, rows: pd.DataFrame) -> Table:
    """Validation findings that bear on the values shown, and load findings dated in their months."""
    publication = options.for_publication
    columns = ["Indicator", "Month", "Finding", "Severity", "Source"] + ([] if publication else ["Records"])
    names = dict(zip(rows["indicator_id"], rows["short_name"], strict=True))
    shown = rows[["indicator_id", "period_end"]].drop_duplicates()
    cells: list[list[str]] = []
    if _has(store, "validation_finding_months") and not shown.empty:
        found = store.query(
            "select m.rule_code, m.month_end, list(distinct m.indicator_id order by m.indicator_id) as ids, "
            "any_value(f.severity) as severity, any_value(f.message) as message, "
            "any_value(f.return_name) as return_name, max(m.rows) as records, max(m.children) as children "
            "from validation_finding_months m join validation_findings f "
            "on f.rule_code = m.rule_code and f.la_code = m.la_code "
            "join (select unnest($ids::varchar[]) as indicator_id, unnest($months::date[]) as month_end) s "
            "on s.indicator_id = m.indicator_id and s.month_end = m.month_end "
            "where m.la_code = $la group by m.rule_code, m.month_end "
            "order by any_value(f.severity) = 'error' desc, m.rule_code",
            {"la": options.la_code, "ids": list(shown["indicator_id"]), "months": list(shown["period_end"])},
        )
        for f in found.itertuples():
            cells.append(
                [
                    "; ".join(names.get(i, i) for i in f.ids),
                    f"{pd.Timestamp(f.month_end):%b %Y}",
                    f"Rule {f.rule_code}: {f.message}",
                    str(f.severity),
                    f"{f.return_name} validation",
                ]
                + ([] if publication else [f"{int(f.records):,} records, {int(f.children):,} children"])
            )
    months = sorted(set(shown["period_end"]))
    load = store_views.findings_for_months(store, options.la_code, months)
    for f in load.itertuples():
        message = str(f.message)
        if publication:  # the file's row and column are for the analyst, not the public
            message = message.split(": ")[-1]
        cells.append(
            [
                "All figures this month",
                f"{pd.Timestamp(f.period_end):%b %Y}",
                message,
                str(f.severity),
                str(f.source_file),
            ]
            + ([] if publication else [fmt.MISSING])
        )
    return Table(columns, cells)


def _has(store: Queryable, table: str) -> bool:
    found = store.query("select count(*) as n from information_schema.tables where table_name = ?", [table])
    return bool(found["n"].iloc[0])


def _definitions(rows: pd.DataFrame) -> list[Definition]:
    catalogue = load_catalogue()
    polarity = {"High": "Higher is better", "Low": "Lower is better"}
    found = []
    for r in rows.sort_values(["area", "short_name"]).itertuples():
        entry = catalogue.get(r.indicator_id) if r.indicator_id in catalogue else None
        if entry is None:
            continue
        found.append(
            Definition(
                name=entry.name,
                definition=entry.definition,
                numerator=entry.numerator,
                denominator=entry.denominator,
                polarity=polarity.get(entry.polarity, "No polarity"),
                source=f"{entry.source_return}; loaded from {fmt.text(r.source)}"
                + (
                    "; comparators from the published "
                    f"{fmt.published_year(r.benchmark_year, r.indicator_id)} figures"
                    if not fmt.is_missing(r.benchmark_year)
                    else ""
                ),
            )
        )
    return found


def _reading_notes(options: PackOptions) -> list[str]:
    notes = [
        "RAG against target: Green met, Amber missed within the indicator's tolerance, Red missed beyond it "
        "(polarity decides the direction). An indicator without a target has no RAG.",
        "Direction of travel is the latest published year against the year before. SN average is the mean "
        f"of the LA's statistical neighbours ({options.sn_model} model); quartile A is the best; rank 1 is "
        "the best.",
        "Each value is the indicator's latest at or before the reporting month; n is the numerator of the "
        "denominator behind it.",
        f"Improvement plan rating: {RAG_RULE}",
    ]
    if options.for_publication:
        notes.append(
            f"Prepared for publication: counts from 1 to {options.threshold - 1}, and any figure from which "
            "one could be worked out, are shown as c and have no RAG. No child-level or worker-level detail "
            "is shown."
        )
    return notes
