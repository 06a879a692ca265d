"""Every metric, defined once: its labels, the formula shown to users, and how it is computed.

A metric is one `Metric` entry in METRICS. Its `kind` says how it is read from the rollups
(silahap.insights.models), which `silahap.insights.rollups` fills per officer-day:

- "sum": the sum of DailyCount rows named `source` (optionally only some `dimensions`); additive,
  so any period and any subtree is an exact sum. Over whole months and one whole subtree per
  group it is read from SubtreeCount (the subtree's own monthly sums), so a national or
  regional reading takes one row per month and dimension, not one per unit below.
- "distinct": COUNT(DISTINCT value) over DailyValue rows of kind `source` in the period and
  subtree: persons or places seen are never a sum of daily distinct counts. Over whole months
  and one whole subtree per group it is read from SubtreeSeen (each value counted at its first
  month in the period), which gives that same count exactly from a few rows; per officer
  within one unit's subtree (a table of members), from OfficerSeen, the same runs per officer.
- "median": the median of DailyValue rows of kind `source`, taken over every row (never a
  median of daily medians); over whole months of one whole subtree, the middle of its summed
  histogram (SubtreeTally, or SubtreeYearTally for calendar years), the same number.
- "ratio": 100 × sum(numerator) / sum(denominator), both sums of other metrics.
- "total": the sum of other metrics (`parts`).

Adding a metric is one entry here; if it needs counts the rollups do not keep yet, its extractor
is one function in `rollups.EXTRACTORS` (operations' results will add "operations" that way).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation


@dataclass(frozen=True)
class Metric:
    key: str
    label_id: str
    label_en: str
    formula_id: str
    formula_en: str
    kind: str = "sum"
    source: str = ""
    dimensions: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    numerator: str = ""
    denominator: str = ""
    # What the dimension of `source` means, when the page may break the metric down by it.
    breakdown: str = ""
    unit: str = ""
    tags: frozenset[str] = field(default_factory=frozenset)

    @property
    def label(self) -> str:
        return self.label_en if translation.get_language() == "en" else self.label_id

    @property
    def formula(self) -> str:
        return self.formula_en if translation.get_language() == "en" else self.formula_id

    @property
    def is_percent(self) -> bool:
        return self.kind == "ratio"


OPEN_ONLY_ID = " Kegiatan tertutup (intelijen) tidak pernah dihitung."
OPEN_ONLY_EN = " Closed (intelligence) activities are never counted."

METRICS: tuple[Metric, ...] = (
    Metric(
        "reports_due",
        "Laporan wajib",
        "Reports due",
        "Laporan tepat waktu + terlambat + tidak ada. Hari kerja saja: akhir pekan, libur "
        "nasional, cuti bersama dan cuti/sakit/dinas luar petugas tidak dihitung.",
        "On time + late + missing reports. Working days only: weekends, public holidays, "
        "collective leave and the officer's leave, sickness or duty travel are not due.",
        kind="total",
        parts=("reports_on_time", "reports_late", "reports_missing"),
        tags=frozenset({"reports", "league"}),
    ),
    Metric(
        "reports_on_time",
        "Laporan tepat waktu",
        "Reports on time",
        "Laporan yang pertama kali dikirim sebelum batas waktu kantor (waktu setempat).",
        "Reports first submitted before the office's deadline (local time).",
        source="reports_on_time",
        tags=frozenset({"reports"}),
    ),
    Metric(
        "reports_late",
        "Laporan terlambat",
        "Late reports",
        "Laporan yang pertama kali dikirim setelah batas waktu kantor; dinilai pada kiriman "
        "pertama, bukan pada koreksi.",
        "Reports first submitted after the office's deadline; judged on the first submit, not "
        "on corrections.",
        source="reports_late",
        tags=frozenset({"reports", "league"}),
    ),
    Metric(
        "reports_missing",
        "Laporan tidak ada",
        "Missing reports",
        "Hari kerja yang batas waktunya sudah lewat tanpa laporan terkirim dari petugas yang "
        "bertugas (libur, cuti, sakit dan dinas luar dikecualikan).",
        "Working days whose deadline has passed with no report filed by an officer on duty "
        "(holidays, leave, sickness and duty travel excused).",
        source="reports_missing",
        tags=frozenset({"reports", "league"}),
    ),
    Metric(
        "activities",
        "Kegiatan",
        "Activities",
        "Kegiatan dalam laporan yang sudah dikirim, menurut tanggal laporan." + OPEN_ONLY_ID,
        "Activities in filed reports, by the report's date." + OPEN_ONLY_EN,
        source="activities",
        breakdown="activity_kind",
        tags=frozenset({"work", "league", "trend"}),
    ),
    Metric(
        "places_visited",
        "Tempat dikunjungi (berbeda)",
        "Places visited (distinct)",
        "Jumlah tempat berbeda dari kegiatan pada periode; satu tempat yang dikunjungi dua "
        "kali dihitung sekali." + OPEN_ONLY_ID,
        "Number of different places of the period's activities; a place visited twice counts "
        "once." + OPEN_ONLY_EN,
        kind="distinct",
        source="place",
        tags=frozenset({"work", "league"}),
    ),
    Metric(
        "persons_checked",
        "Orang asing diperiksa (berbeda)",
        "Foreigners checked (distinct persons)",
        "Jumlah orang berbeda yang diperiksa pada periode; orang yang diperiksa dua kali "
        "dihitung sekali, dan penggabungan data ganda memperbaikinya." + OPEN_ONLY_ID,
        "Number of different persons checked in the period; a person checked twice counts "
        "once, and merging duplicates corrects it." + OPEN_ONLY_EN,
        kind="distinct",
        source="person",
        tags=frozenset({"work", "league", "trend"}),
    ),
    Metric(
        "checks",
        "Pemeriksaan",
        "Checks",
        "Pemeriksaan orang asing dalam kegiatan (satu orang dalam satu kegiatan = satu)."
        + OPEN_ONLY_ID,
        "Checks of foreigners in activities (one person in one activity = one)." + OPEN_ONLY_EN,
        source="checks",
        breakdown="check_result",
        tags=frozenset({"work", "league"}),
    ),
    Metric(
        "checks_by_nationality",
        "Pemeriksaan menurut kewarganegaraan",
        "Checks by nationality",
        "Pemeriksaan, dirinci menurut kewarganegaraan orang yang diperiksa." + OPEN_ONLY_ID,
        "Checks, broken down by the nationality of the person checked." + OPEN_ONLY_EN,
        source="checks_nationality",
        breakdown="nationality",
        tags=frozenset({"breakdown"}),
    ),
    Metric(
        "findings",
        "Temuan",
        "Findings",
        "Dugaan pelanggaran yang dicatat dalam kegiatan, menurut jenis pelanggaran." + OPEN_ONLY_ID,
        "Suspected violations recorded in activities, by violation type." + OPEN_ONLY_EN,
        source="findings",
        breakdown="violation_type",
        tags=frozenset({"results", "league", "trend"}),
    ),
    Metric(
        "overstays",
        "Overstay ditemukan",
        "Overstays found",
        "Temuan berjenis overstay (kurang dari 60 hari dan 60 hari atau lebih).",
        "Findings of type overstay (under 60 days and 60 days or more).",
        source="findings",
        dimensions=("overstay_lt_60", "overstay_gte_60"),
        tags=frozenset({"results", "league"}),
    ),
    Metric(
        "followups_opened",
        "Tindak lanjut dibuka",
        "Follow-ups opened",
        "Tindak lanjut yang dibuka dari temuan pada periode (menurut tanggal laporan temuan).",
        "Follow-ups opened from the period's findings (by the finding's report date).",
        source="followups_opened",
        tags=frozenset({"results"}),
    ),
    Metric(
        "followups_closed",
        "Tindak lanjut selesai",
        "Follow-ups closed",
        "Dari tindak lanjut temuan periode ini, yang sudah ditutup sampai sekarang.",
        "Of the follow-ups of the period's findings, those closed so far.",
        source="followups_closed",
        tags=frozenset({"results"}),
    ),
    Metric(
        "tak",
        "Tindakan administratif keimigrasian (TAK)",
        "Administrative actions (TAK)",
        "Langkah TAK yang selesai dalam tindak lanjut temuan periode ini, menurut jenis TAK.",
        "TAK steps done in the follow-ups of the period's findings, by type of action.",
        source="tak",
        breakdown="action_kind",
        tags=frozenset({"results", "league"}),
    ),
    Metric(
        "pro_justitia",
        "Perkara pro justitia",
        "Pro justitia cases",
        "Tindak lanjut temuan periode ini yang memuat langkah penyidikan (tidak dibatalkan).",
        "Follow-ups of the period's findings with a criminal-investigation step (not cancelled).",
        source="pro_justitia",
        tags=frozenset({"results"}),
    ),
    Metric(
        "review_turnaround",
        "Median waktu pemeriksaan laporan (jam)",
        "Median review turnaround (hours)",
        "Median, atas semua laporan periode, dari kiriman pertama sampai keputusan pertama "
        "pimpinan (setujui atau kembalikan). Median sebenarnya, bukan rata-rata median harian.",
        "Median, over every report of the period, from the first submit to the leader's first "
        "decision (approve or return). A true median, not an average of daily medians.",
        kind="median",
        source="review_minutes",
        unit="hours",
        tags=frozenset({"reports"}),
    ),
    Metric(
        "returned_share",
        "Laporan dikembalikan (%)",
        "Reports returned (%)",
        "100 × laporan yang pernah dikembalikan ÷ laporan yang sudah diputuskan.",
        "100 × reports returned at least once ÷ reports decided.",
        kind="ratio",
        numerator="reports_returned",
        denominator="reports_decided",
        tags=frozenset({"reports", "league"}),
    ),
    Metric(
        "evidence_share",
        "Kegiatan dengan foto dan GPS (%)",
        "Activities with photo and GPS (%)",
        "100 × kegiatan yang punya foto bukti dan titik GPS ÷ kegiatan." + OPEN_ONLY_ID,
        "100 × activities with a photo and a GPS point ÷ activities." + OPEN_ONLY_EN,
        kind="ratio",
        numerator="activities_evidenced",
        denominator="activities",
        tags=frozenset({"work", "league"}),
    ),
    # Parts of the ratios above: computed and exported, not listed on their own.
    Metric(
        "reports_returned",
        "Laporan pernah dikembalikan",
        "Reports returned at least once",
        "Laporan yang dikembalikan pimpinan setidaknya sekali.",
        "Reports returned by a leader at least once.",
        source="reports_returned",
        tags=frozenset({"part"}),
    ),
    Metric(
        "reports_decided",
        "Laporan sudah diputuskan",
        "Reports decided",
        "Laporan yang sudah disetujui atau dikembalikan setidaknya sekali.",
        "Reports approved or returned at least once.",
        source="reports_decided",
        tags=frozenset({"part"}),
    ),
    Metric(
        "activities_evidenced",
        "Kegiatan dengan foto dan GPS",
        "Activities with photo and GPS",
        "Kegiatan dengan setidaknya satu foto bukti dan lokasi dari GPS." + OPEN_ONLY_ID,
        "Activities with at least one photo and a location from GPS." + OPEN_ONLY_EN,
        source="activities_evidenced",
        tags=frozenset({"part"}),
    ),
)

BY_KEY: dict[str, Metric] = {metric.key: metric for metric in METRICS}
# What the evaluation tables list, in order (parts of ratios and breakdowns are left out).
SHOWN: tuple[Metric, ...] = tuple(
    metric for metric in METRICS if not metric.tags & {"part", "breakdown"}
)
LEAGUE: tuple[Metric, ...] = tuple(metric for metric in METRICS if "league" in metric.tags)


def get(key: str) -> Metric | None:
    return BY_KEY.get(key)


def stored_counts() -> set[str]:
    """The DailyCount names some metric reads: what the rollups must keep."""
    return {m.source for m in METRICS if m.kind == "sum"}
