"""What the synthetic LAs look like: sizes and rates in the range of published England figures.

Figures are national rates from the DfE statistical releases (children looked after, children in
need, workforce) rounded; each LA draws its own value around them so that LAs differ the way real
ones do. Nothing here is taken from a real child.
"""

from __future__ import annotations

from dataclasses import dataclass

# children looked after at a time, per LA, for each size
SIZES = {"small": 500, "medium": 1000, "large": 2000}

# Per 1 child looked after at a time, per year (England: ~80,000 CLA, ~650,000 referrals, ~60,000
# CP plans starting a year).
REFERRALS_PER_CLA = 8.1
CLA_MEAN_YEARS = 2.0  # mean length of a period of care (stock / starts)
CLA_RATE_PER_10K = 70.0  # children looked after per 10,000 children aged 0-17

SIMULATION_LEAD_YEARS = 12  # looked-after history simulated before the first file
CIN_LEAD_YEARS = 2  # children in need history simulated before the first file


@dataclass(frozen=True)
class Rates:
    """The targets each LA's parameters are drawn around (proportions, not percentages)."""

    repeat_cp_plans: float = 0.23
    placements_3plus: float = 0.10
    long_term_stability: float = 0.68
    care_leavers_in_touch: float = 0.91
    eet_17_18: float = 0.65
    eet_19_21: float = 0.55
    suitable_accommodation: float = 0.88
    re_referrals: float = 0.22
    assessments_45_days: float = 0.82
    icpc_15_days: float = 0.78
    cp_reviews_on_time: float = 0.91
    average_caseload: float = 16.5
    referral_nfa: float = 0.07
    section47_after_assessment: float = 0.30
    icpc_after_section47: float = 0.40
    cp_plan_after_icpc: float = 0.87
    agency_share: float = 0.16
    annual_turnover: float = 0.16


RATES = Rates()

ETHNICITY = {
    "WBRI": 0.70,
    "WOTH": 0.04,
    "WIRI": 0.005,
    "WROM": 0.005,
    "MWBC": 0.03,
    "MWBA": 0.01,
    "MWAS": 0.015,
    "MOTH": 0.03,
    "AIND": 0.01,
    "APKN": 0.02,
    "ABAN": 0.01,
    "AOTH": 0.01,
    "BCRB": 0.01,
    "BAFR": 0.04,
    "BOTH": 0.01,
    "CHNE": 0.002,
    "OOTH": 0.02,
    "REFU": 0.003,
    "NOBT": 0.01,
}
REFERRAL_SOURCES = {
    "1A": 0.05,
    "1B": 0.01,
    "1C": 0.01,
    "1D": 0.02,
    "2A": 0.19,
    "2B": 0.01,
    "3A": 0.02,
    "3B": 0.03,
    "3C": 0.01,
    "3D": 0.02,
    "3E": 0.02,
    "3F": 0.05,
    "4": 0.02,
    "5A": 0.04,
    "5B": 0.02,
    "5C": 0.04,
    "5D": 0.04,
    "6": 0.29,
    "7": 0.02,
    "8": 0.03,
    "9": 0.01,
    "10": 0.05,
}
PRIMARY_NEED = {
    "N1": 0.56,
    "N2": 0.08,
    "N3": 0.04,
    "N4": 0.09,
    "N5": 0.10,
    "N6": 0.02,
    "N7": 0.01,
    "N8": 0.05,
    "N9": 0.02,
    "N0": 0.03,
}
ABUSE_CATEGORIES = {"NEG": 0.50, "EMO": 0.37, "PHY": 0.06, "SAB": 0.04, "MUL": 0.03}
CLA_NEED = {"N1": 0.66, "N2": 0.03, "N3": 0.03, "N4": 0.07, "N5": 0.13, "N6": 0.02, "N7": 0.01, "N8": 0.05}
MOVE_REASONS = {
    "CARPL": 0.38,
    "CREQB": 0.16,
    "CREQO": 0.10,
    "CHILD": 0.06,
    "LAREQ": 0.08,
    "PLACE": 0.06,
    "STAND": 0.04,
    "ALLEG": 0.03,
    "APPRR": 0.03,
    "OTHER": 0.06,
}

# care leavers: IN_TOUCH by age group; activity and accommodation of those in touch
IN_TOUCH_17_18 = {"YES": 0.905, "NO": 0.025, "REFU": 0.02, "NREQ": 0.03, "RHOM": 0.018, "DIED": 0.002}
IN_TOUCH_19_21 = {"YES": 0.90, "NO": 0.04, "REFU": 0.025, "NREQ": 0.02, "RHOM": 0.012, "DIED": 0.003}
EET_ACTIVITIES = {
    "F1": 0.08,
    "P1": 0.01,
    "F2": 0.45,
    "P2": 0.06,
    "F4": 0.06,
    "P4": 0.03,
    "F5": 0.22,
    "P5": 0.09,
}
NEET_ACTIVITIES = {"G4": 0.20, "G5": 0.25, "G6": 0.55}
# suitable codes only: G (abroad), H (deported) and R (residence not known) say nothing about
# suitability, and S1 (no fixed abode) and X1 (custody) are invalid (DfE rule 133)
SUITABLE_ACCOMMODATION = {
    "V1": 0.30,
    "E1": 0.22,
    "C1": 0.12,
    "U1": 0.10,
    "Z1": 0.08,
    "D1": 0.06,
    "T1": 0.06,
    "K1": 0.04,
    "Y1": 0.02,
}
UNSUITABLE_ACCOMMODATION = {"B2": 0.2, "C2": 0.25, "S2": 0.2, "U2": 0.2, "X2": 0.15}

# workforce: teams (service area, share of case holders) and roles (share, capacity per FTE)
TEAMS = (
    ("Front Door", "Assessment", 0.24),
    ("Safeguarding", "Child Protection", 0.30),
    ("Children in Care", "Children in Care", 0.22),
    ("Care Leavers", "Leaving Care", 0.10),
    ("Disabled Children", "Disabled Children", 0.08),
    ("Fostering", "Fostering", 0.06),
)
ROLES = (
    ("Social Worker", 0.52, 1.0),
    ("ASYE", 0.14, 0.72),
    ("Senior Practitioner", 0.26, 0.85),
    ("Advanced Practitioner", 0.08, 0.7),
)
WORKERS_PER_TEAM = 8
