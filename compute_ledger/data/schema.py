"""The four tables of the ledger: columns, units, meanings and the rules every row must keep.

One spec per table drives three things, so they cannot drift apart: parsing CSV text into types
(`ingest`), the pandera checks (`validation`), and the column dictionary shown to users.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

TABLE_NAMES = ("companies", "deals", "milestones", "financials")

DATE_MIN = dt.date(2015, 1, 1)
DATE_MAX = dt.date(2035, 12, 31)
YEAR_MIN, YEAR_MAX = DATE_MIN.year, DATE_MAX.year
# Sanity ceilings, far above anything published (OpenAI's whole ~USD 1.4T plan, Bain's ~200 GW),
# so that a unit slip (millions typed as billions) is caught rather than charted.
MAX_USD_BN = 5_000.0
MAX_GW = 1_000.0

COMPANY_KINDS = ("lab", "hyperscaler", "neocloud", "chipmaker", "investor", "developer", "energy", "other")
DEAL_TYPES = ("cloud_compute", "chips", "data_center", "equity_investment", "power", "manufacturing")
DEAL_STATUSES = ("announced", "signed", "letter_of_intent", "rumored", "completed", "paused", "cancelled")
# The counting model (see README "How the headline numbers are counted"). What a deal's money buys, at which step
# of the supply chain: totals add one layer at a time, so a lab's cloud contract and the cloud's own purchases to
# serve that lab are never summed together.
# `pledge`: a company's stated plan to invest in a country or region (dollars or capacity), with no counterparty
# bound by contract. Pledges are shown as pledges and never enter a contracted total.
DEAL_LAYERS = ("end_user", "resale", "financing", "power", "manufacturing", "pledge")
# How sure the deal is: signed or completed; announced but not definitive (letter of intent, term sheet,
# memorandum, "up to"); reported only (rumoured, single-source press report).
DEAL_FIRMNESS = ("definitive", "announced", "reported")
# What a deal's GW measure: physical capacity (a site or a capacity contract) or a chip volume expressed in power.
# `power`: electricity contracted for data centres (a power purchase, a plant built for a campus). It feeds the
# sites; power GW are never added to site or chip GW.
CAPACITY_KINDS = ("site", "chips", "power")
# What a power deal's electricity comes from.
POWER_TYPES = ("nuclear", "gas", "hydro", "renewables", "fuel_cells", "mixed")
# How close the cited report is to the fact, strongest first.
SOURCE_KINDS = ("company", "filing", "major_outlet", "trade_press", "secondary")
VALUE_BASES = ("contract", "purchase", "investment", "planned_investment", "financing", "intended_investment",
               "acquisition")
MILESTONE_TYPES = (
    "compute_capacity", "capacity_added", "program_target", "planned_capacity", "site_reported",
    "site_announced", "energized", "operational", "capacity_target", "power_online", "commitment_total",
    "procurement", "model_distribution", "pause", "cancellation", "industry_projection",
)
# What a milestone's capacity covers, so that totals never add a fleet to its own sites, or a chip tranche
# to the data centre that will house it.
MILESTONE_SCOPES = ("fleet", "programme", "site", "tranche", "power", "event")
MILESTONE_STAGES = ("target", "planned", "under_construction", "operational", "completed", "paused", "cancelled")
PERIOD_BASES = ("calendar", "fiscal_jun30", "fiscal_may31", "fiscal_jan")
PERIODS = ("full_year", "first_half", "first_quarter", "quarter", "point_in_time", "multi_year")
FINANCIAL_METRICS = (
    "revenue", "revenue_run_rate", "operating_loss", "net_loss", "rd_expense", "cash_burn", "compute_spend",
    "compute_cost_estimate", "compute_commitments_total", "funding_gap_estimate", "equity_raised",
    "valuation_post_money", "valuation_pre_money", "valuation_secondary", "investor_stake_value",
    "planned_investment", "capex", "capex_incl_finance_leases", "remaining_performance_obligations",
    "revenue_needed", "revenue_shortfall", "datacenter_capex", "datacenter_revenue", "backlog", "total_debt",
)

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
RECORD_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
HTTP_URL = r"^https?://[^\s<>\"']+$"
# An article, not a bare domain: http(s), a host with a dot, and a path beyond "/".
ARTICLE_URL = r"^https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]+)?/[^\s<>\"']+$"
COUNTRY = r"^[A-Z]{2}$"


class Check:
    """A column rule written as data. `validation` turns each into a pandera check when it validates, so the
    app does not pay for importing pandera (seconds) when it reads data the build already validated."""

    @staticmethod
    def isin(values) -> tuple:
        return ("isin", tuple(values))

    @staticmethod
    def in_range(low, high) -> tuple:
        return ("in_range", low, high)

    @staticmethod
    def str_matches(pattern: str) -> tuple:
        return ("str_matches", pattern)

    @staticmethod
    def str_length(low: int, high: int) -> tuple:
        return ("str_length", low, high)


# pandera's in_range lets NaN and inf through; money and power must be real numbers.
FINITE = ("finite",)


def _between(lo, hi) -> tuple:
    return Check.in_range(lo, hi)


@dataclass(frozen=True)
class Column:
    name: str
    dtype: type[pl.DataType] | pl.DataType
    meaning: str
    unit: str = ""
    required: bool = True
    checks: tuple[tuple, ...] = ()


@dataclass(frozen=True)
class RowRule:
    """A rule over several columns of one row; problems are reported against `column`."""

    column: str
    message: str
    ok: pl.Expr


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    row_rules: tuple[RowRule, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def polars_schema(self) -> dict[str, pl.DataType]:
        return {c.name: c.dtype for c in self.columns}


def _headline() -> Column:
    return Column("headline", pl.String, "Short label marking the row as a key event on timelines", required=False,
                  checks=(Check.str_length(3, 60),))


def _source_columns() -> tuple[Column, ...]:
    return (
        Column("source_title", pl.String, "Title and outlet of the cited report", checks=(Check.str_length(3, 400),)),
        Column("source_url", pl.String, "Web address of the cited report (an article: http(s), a host and a path)",
               checks=(Check.str_matches(ARTICLE_URL),)),
        Column("source_date", pl.Date, "Publication date of the cited report (1st of the month when only the month is known)",
               checks=(_between(DATE_MIN, DATE_MAX),)),
        Column("source_kind", pl.String, "What the cited report is: the company's own announcement, a regulatory filing, "
               "a major news outlet, trade press, or a secondary source (aggregator, blog, summary)",
               checks=(Check.isin(SOURCE_KINDS),)),
        Column("source_note", pl.String, "Why no stronger source is cited, or what the source does not confirm",
               required=False, checks=(Check.str_length(3, 400),)),
    )


COMPANIES = Table(
    "companies",
    key=("company_id",),
    columns=(
        Column("company_id", pl.String, "Short stable id used by the other tables", checks=(Check.str_matches(SLUG),)),
        Column("name", pl.String, "Display name", checks=(Check.str_length(1, 120),)),
        Column("parent", pl.String, "company_id of the parent group, if any", required=False),
        Column("kind", pl.String, "What the organisation is", checks=(Check.isin(COMPANY_KINDS),)),
        Column("country", pl.String, "Headquarters, ISO 3166 two-letter code", required=False,
               checks=(Check.str_matches(COUNTRY),)),
    ),
    row_rules=(RowRule("parent", "a company cannot be its own parent",
                       pl.col("parent").is_null() | (pl.col("parent") != pl.col("company_id"))),),
)

DEALS = Table(
    "deals",
    key=("deal_id",),
    columns=(
        Column("deal_id", pl.String, "Stable id of the deal", checks=(Check.str_matches(RECORD_ID),)),
        Column("announced", pl.Date, "Date announced or first reported", checks=(_between(DATE_MIN, DATE_MAX),)),
        Column("buyer_id", pl.String, "company_id that receives compute, capacity, chips or capital"),
        Column("provider_id", pl.String, "company_id of the counterparty (for equity: the investor)"),
        Column("deal_type", pl.String, "Kind of deal", checks=(Check.isin(DEAL_TYPES),)),
        Column("value_usd_bn", pl.Float64, "Headline value as reported; empty when undisclosed", "USD bn", required=False,
               checks=(FINITE, _between(0, MAX_USD_BN))),
        Column("value_basis", pl.String, "What the value measures", required=False, checks=(Check.isin(VALUE_BASES),)),
        Column("is_estimate", pl.Boolean, "Value comes from press or analysts, or is stated as '>X' or '~X'"),
        Column("capacity_gw", pl.Float64, "Power as reported (often 'up to')", "GW", required=False,
               checks=(FINITE, _between(0, MAX_GW))),
        Column("term_years", pl.Int64, "Contract length as reported", "years", required=False, checks=(_between(1, 50),)),
        Column("start_year", pl.Int64, "First year of the term", "year", required=False, checks=(_between(YEAR_MIN, YEAR_MAX),)),
        Column("end_year", pl.Int64, "Last year of the term", "year", required=False, checks=(_between(YEAR_MIN, YEAR_MAX),)),
        Column("status", pl.String, "Where the deal stands", checks=(Check.isin(DEAL_STATUSES),)),
        Column("status_changed", pl.Date, "When the status last changed to what it is now (empty: as first reported)",
               required=False, checks=(_between(DATE_MIN, DATE_MAX),)),
        Column("previous_status", pl.String, "The status before that change", required=False,
               checks=(Check.isin(DEAL_STATUSES),)),
        Column("layer", pl.String, "What the money buys, at which step of the chain: end_user (a lab or other user "
               "buying compute, chips or buildings for itself), resale (a provider buying capacity or chips to serve "
               "its customers), financing (equity, debt, backstops, JV funding, acquisitions), power (electricity for "
               "data centres), manufacturing, pledge (a company's stated plan to invest in a country or region: not "
               "a contract, never in a contracted total)",
               checks=(Check.isin(DEAL_LAYERS),)),
        Column("firmness", pl.String, "How sure the deal is: definitive (signed, completed), announced (letter of "
               "intent, term sheet, memorandum, 'up to'), reported (rumoured or a single press report)",
               checks=(Check.isin(DEAL_FIRMNESS),)),
        Column("capacity_kind", pl.String, "What capacity_gw measures: site (buildings or a capacity contract), chips "
               "(a chip volume expressed in power) or power (electricity contracted for data centres); never added "
               "together", required=False, checks=(Check.isin(CAPACITY_KINDS),)),
        Column("power_type", pl.String, "For a power deal: what the electricity comes from (nuclear, gas, hydro, "
               "renewables, fuel_cells, mixed); empty for other deals", required=False,
               checks=(Check.isin(POWER_TYPES),)),
        Column("chips", pl.String, "Chips or systems named", required=False),
        Column("description", pl.String, "What was agreed, in our words", checks=(Check.str_length(10, 2000),)),
        Column("counts_in_totals", pl.Boolean, "False when the row repeats money or capacity counted in another row"),
        Column("overlaps_with", pl.String, "deal_id this row overlaps, duplicates or was superseded by", required=False),
        Column("end_customer_id", pl.String, "For a provider's purchase (layer resale): the company_id the capacity is "
               "reported to serve, if any", required=False),
        Column("counting_note", pl.String, "Why the row counts (or not) in totals where that is not obvious, e.g. a "
               "provider's purchase that serves a lab whose own contract is counted too", required=False,
               checks=(Check.str_length(10, 400),)),
        _headline(),
        *_source_columns(),
    ),
    row_rules=(
        RowRule("end_year", "end_year must not be before start_year",
                pl.col("end_year").is_null() | pl.col("start_year").is_null() | (pl.col("end_year") >= pl.col("start_year"))),
        RowRule("overlaps_with", "a row left out of totals must name the row it overlaps (overlaps_with)",
                pl.col("counts_in_totals") | pl.col("overlaps_with").is_not_null()),
        RowRule("overlaps_with", "a deal cannot overlap itself",
                pl.col("overlaps_with").is_null() | (pl.col("overlaps_with") != pl.col("deal_id"))),
        RowRule("value_basis", "value_basis is required when a value is given",
                pl.col("value_usd_bn").is_null() | pl.col("value_basis").is_not_null()),
        RowRule("is_estimate", "an undisclosed value cannot be an estimate",
                pl.col("value_usd_bn").is_not_null() | ~pl.col("is_estimate")),
        RowRule("capacity_kind", "capacity_kind is required when capacity_gw is given",
                pl.col("capacity_gw").is_null() | pl.col("capacity_kind").is_not_null()),
        RowRule("firmness", "a rumoured deal can only be 'reported'",
                (pl.col("status") != "rumored") | (pl.col("firmness") == "reported")),
        RowRule("firmness", "a letter of intent cannot be 'definitive'",
                (pl.col("status") != "letter_of_intent") | (pl.col("firmness") != "definitive")),
        RowRule("layer", "an equity investment is 'financing'",
                (pl.col("deal_type") != "equity_investment") | (pl.col("layer") == "financing")),
        # Two layers of the same compute: the cloud's purchase to serve a lab, and the lab's own contract with that
        # cloud. Totals never add them (they count one layer at a time), but the row must say why both exist.
        RowRule("counting_note", "a provider's purchase that serves a lab with its own counted contract with this "
                "provider must say why both rows exist (counting_note)",
                (pl.col("layer") != "resale") | ~pl.col("counts_in_totals") | pl.col("counting_note").is_not_null()
                | ~pl.concat_str("end_customer_id", "buyer_id", separator="|").is_in(
                    pl.concat_str("buyer_id", "provider_id", separator="|")
                    .filter((pl.col("layer") == "end_user") & pl.col("counts_in_totals")).implode())),
        RowRule("end_customer_id", "only a provider's purchase (layer resale) names an end customer",
                pl.col("end_customer_id").is_null() | (pl.col("layer") == "resale")),
        RowRule("previous_status", "previous_status and status_changed go together",
                pl.col("previous_status").is_null() == pl.col("status_changed").is_null()),
        RowRule("power_type", "a power deal (layer power) must say what its power comes from (power_type)",
                (pl.col("layer") != "power") | pl.col("power_type").is_not_null()),
        RowRule("power_type", "only a power deal (layer power) has a power_type",
                pl.col("power_type").is_null() | (pl.col("layer") == "power")),
        # Power GW and site GW are two series: a power deal's GW are electricity, never a site's size.
        RowRule("capacity_kind", "a power deal's GW are power (capacity_kind power), and only a power deal's are",
                pl.col("capacity_kind").is_null() | ((pl.col("layer") == "power") == (pl.col("capacity_kind") == "power"))),
    ),
)

MILESTONES = Table(
    "milestones",
    key=("milestone_id",),
    columns=(
        Column("milestone_id", pl.String, "Stable id of the milestone", checks=(Check.str_matches(RECORD_ID),)),
        Column("date", pl.Date, "Event date, or targeted date for targets (1st of month/year when only that is known)",
               checks=(_between(DATE_MIN, DATE_MAX),)),
        Column("company_id", pl.String, "Main company"),
        Column("program", pl.String, "Programme the milestone belongs to (e.g. Stargate)", required=False),
        Column("site", pl.String, "Site or scope the milestone is about", checks=(Check.str_length(1, 200),)),
        Column("country", pl.String, "ISO 3166 two-letter code; empty for multi-country scopes", required=False,
               checks=(Check.str_matches(COUNTRY),)),
        Column("lat", pl.Float64, "Approximate latitude of the town or county (for the map only)", "degrees",
               required=False, checks=(_between(-90, 90),)),
        Column("lon", pl.Float64, "Approximate longitude of the town or county (for the map only)", "degrees",
               required=False, checks=(_between(-180, 180),)),
        Column("milestone_type", pl.String, "What kind of milestone", checks=(Check.isin(MILESTONE_TYPES),)),
        Column("scope", pl.String, "What the capacity covers: a company's fleet, a programme total, one site, a chip or "
               "cloud tranche housed in some data centre, a power source, or an event", checks=(Check.isin(MILESTONE_SCOPES),)),
        Column("capacity_gw", pl.Float64, "Capacity as reported", "GW", required=False,
               checks=(FINITE, _between(0, MAX_GW))),
        Column("stage", pl.String, "Stage as last reported", checks=(Check.isin(MILESTONE_STAGES),)),
        Column("stage_changed", pl.Date, "When the stage last changed to what it is now (empty: as first reported)",
               required=False, checks=(_between(DATE_MIN, DATE_MAX),)),
        Column("previous_stage", pl.String, "The stage before that change", required=False,
               checks=(Check.isin(MILESTONE_STAGES),)),
        _headline(),
        Column("description", pl.String, "What happened or is planned, in our words", checks=(Check.str_length(10, 2000),)),
        *_source_columns(),
    ),
    row_rules=(RowRule("lon", "lat and lon must be given together",
                       pl.col("lat").is_null() == pl.col("lon").is_null()),
               RowRule("previous_stage", "previous_stage and stage_changed go together",
                       pl.col("previous_stage").is_null() == pl.col("stage_changed").is_null())),
)

FINANCIALS = Table(
    "financials",
    key=("company_id", "year", "metric", "period", "as_of", "is_projection", "estimator", "source_date"),
    columns=(
        Column("company_id", pl.String, "Company the figure is about"),
        Column("year", pl.Int64, "Year the figure is for (fiscal year for fiscal bases)", "year",
               checks=(_between(YEAR_MIN, YEAR_MAX),)),
        Column("period_basis", pl.String, "calendar, or fiscal with the year-end", checks=(Check.isin(PERIOD_BASES),)),
        Column("period", pl.String, "Span the figure covers", checks=(Check.isin(PERIODS),)),
        Column("as_of", pl.Date, "Date of a point-in-time figure (run-rate, valuation, backlog)", required=False,
               checks=(_between(DATE_MIN, DATE_MAX),)),
        Column("metric", pl.String, "What is measured. Among them: remaining_performance_obligations (contracted "
               "revenue not yet recognised, point in time), backlog (the same, in a company's own word when it does "
               "not report RPO), revenue (recognised), capex (cash purchases of property and equipment), total_debt "
               "(borrowings at a balance-sheet date, point in time, leases excluded unless the description says so)",
               checks=(Check.isin(FINANCIAL_METRICS),)),
        Column("value_usd_bn", pl.Float64, "Value", "USD bn", checks=(FINITE, _between(0, MAX_USD_BN))),
        Column("is_projection", pl.Boolean, "A forecast, target or guidance rather than a reported actual"),
        Column("estimator", pl.String, "Outside analyst who made the estimate; empty for company figures", required=False),
        Column("description", pl.String, "What the figure is, in our words", checks=(Check.str_length(10, 2000),)),
        *_source_columns(),
    ),
    row_rules=(RowRule("as_of", "a point-in-time or single-quarter figure needs an as_of date",
                       ~pl.col("period").is_in(["point_in_time", "quarter"]) | pl.col("as_of").is_not_null()),),
)

TABLES: dict[str, Table] = {t.name: t for t in (COMPANIES, DEALS, MILESTONES, FINANCIALS)}

# Foreign keys: (table, column) -> (table, column) it must exist in.
FOREIGN_KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("companies", "parent", "companies", "company_id"),
    ("deals", "buyer_id", "companies", "company_id"),
    ("deals", "provider_id", "companies", "company_id"),
    ("deals", "overlaps_with", "deals", "deal_id"),
    ("deals", "end_customer_id", "companies", "company_id"),
    ("milestones", "company_id", "companies", "company_id"),
    ("financials", "company_id", "companies", "company_id"),
)


def column_dictionary() -> pl.DataFrame:
    """One row per column of every table: the data dictionary shown on the Data page and in the README."""
    return pl.DataFrame(
        [
            {"table": t.name, "column": c.name, "type": str(c.dtype), "unit": c.unit,
             "required": c.required, "meaning": c.meaning}
            for t in TABLES.values()
            for c in t.columns
        ]
    )
