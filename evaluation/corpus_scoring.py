"""Scoring predictions against multi-region truth files in the format of
../shared/corpus/sv-strategies (`<document>.truth.json` beside each document), and running
the extractor over such a folder (`evaluate_corpus`).

Matching: both texts normalised (NFKC, case folded, dashes and quotes unified, leading
bullets and numbering and trailing punctuation stripped, white space collapsed); a
prediction matches a truth priority of the same document and region when the two are equal
or their rapidfuzz ratio is at least `MATCH_RATIO`. Pairs are taken one to one, best first,
so a duplicate is a false positive. Optional priorities are neither required nor penalised.
Only level-1 predictions are priorities; deeper levels are not scored.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from smartspec.extractors.errors import ExtractionError
from smartspec.extractors.extract import Toolkit, extract
from smartspec.extractors.readers import read_document
from smartspec.inputs.sources import source_id

logger = logging.getLogger(__name__)

MATCH_RATIO = 90.0
TRUTH_SUFFIX = ".truth.json"
_BULLETS = "•◦▪▫■□●○‣⁃∙·*-–—>»✓✔➢➤►▶→"
_NUMBER_RE = re.compile(r"^\(?\d{1,2}(?:\.\d{1,2})*[.):]?\s+")
_LETTER_RE = re.compile(r"^\(?(?:[a-zåäö]|i{1,3}|iv|vi{0,3}|ix|x)[.)]\s+")
_PRIVATE_USE_RE = re.compile(r"^[\ue000-\uf8ff]+\s*")  # Symbol-font bullets
_DASHES_RE = re.compile(r"[\u2010-\u2015\u2212]")
_QUOTES = {ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201c"): '"', ord("\u201d"): '"'}


@dataclass(frozen=True, slots=True)
class Prediction:
    source_file: str  # the document's file name
    region_code: str  # NUTS 2021 or a Swedish län code
    priority: str
    level: int = 1


@dataclass(frozen=True, slots=True)
class RegionTruth:
    region: str
    nuts2021_code: str
    lan_code: str | None
    priorities: tuple[str, ...]
    optional: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentTruth:
    document: str
    regions: tuple[RegionTruth, ...]
    traps: tuple[str, ...]
    layout: str = ""
    language: str = ""
    kinds: tuple[str, ...] = ()  # the kinds of trap or layout the document is made to test


@dataclass(slots=True)
class DocumentScore:
    document: str
    expected: int
    predicted: int
    tp: int = 0
    fp: int = 0
    fn: int = 0
    regions_found: int = 0  # regions predicted that the truth has
    regions_extra: int = 0  # regions predicted that the truth lacks
    regions_missed: int = 0
    trap_hits: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp, 1.0 if not self.expected else 0.0)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn, 1.0)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @property
    def region_accuracy(self) -> float:
        union = self.regions_found + self.regions_extra + self.regions_missed
        return self.regions_found / union if union else 1.0


@dataclass(frozen=True, slots=True)
class CorpusReport:
    documents: tuple[DocumentScore, ...]

    def total(self, name: str) -> int:
        return sum(getattr(d, name) for d in self.documents)

    @property
    def precision(self) -> float:
        return _ratio(self.total("tp"), self.total("tp") + self.total("fp"), 0.0)

    @property
    def recall(self) -> float:
        return _ratio(self.total("tp"), self.total("tp") + self.total("fn"), 0.0)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @property
    def traps(self) -> int:
        return sum(len(d.trap_hits) for d in self.documents)

    @property
    def region_accuracy(self) -> float:
        found = self.total("regions_found")
        union = found + self.total("regions_extra") + self.total("regions_missed")
        return found / union if union else 1.0


def _ratio(part: int, whole: int, empty: float) -> float:
    return part / whole if whole else empty


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def normalise(text: str) -> str:
    """Matching form: "• 1. Smart industri – marin teknik." -> "smart industri - marin teknik"."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = _DASHES_RE.sub("-", text).translate(_QUOTES)
    text = " ".join(text.casefold().split())
    for _ in range(3):
        text = text.lstrip(_BULLETS + " \t")
        text = _PRIVATE_USE_RE.sub("", text)
        text = _NUMBER_RE.sub("", text)
        text = _LETTER_RE.sub("", text)
    text = text.strip().strip("\"'")
    return re.sub(r"[\s.,;:!?\u2026]+$", "", text).strip()


def similarity(a: str, b: str) -> float:
    return 100.0 if a == b else fuzz.ratio(a, b)


def load_truths(docs_dir: Path) -> dict[str, DocumentTruth]:
    """Every `<document>.truth.json` in `docs_dir`, by document file name."""
    truths = {}
    for path in sorted(Path(docs_dir).glob(f"*{TRUTH_SUFFIX}")):
        data = json.loads(path.read_text(encoding="utf-8"))
        regions = tuple(
            RegionTruth(r["region"], r.get("nuts2021_code") or "", r.get("lan_code"),
                        tuple(r["priorities"]), tuple(r.get("optional_priorities", ())))
            for r in data["regions"])
        truths[data["document"]] = DocumentTruth(
            data["document"], regions, tuple(data.get("non_priority_traps", ())),
            data.get("layout", ""), data.get("language", ""), tuple(data.get("trap_kinds", ())))
    return truths


def _region_key(code: str, regions: Sequence[RegionTruth]) -> str:
    """The truth region a predicted code names (its NUTS code), else the code itself."""
    code = code.strip().upper()
    lan = code.zfill(2) if code.isdigit() else None
    for region in regions:
        if code == region.nuts2021_code.upper() or (lan and lan == region.lan_code):
            return region.nuts2021_code
    return code


def score_document(truth: DocumentTruth, predictions: Iterable[Prediction], *,
                   ratio: float = MATCH_RATIO, error: str | None = None) -> DocumentScore:
    items = [p for p in predictions if p.level == 1]
    result = DocumentScore(truth.document, sum(len(r.priorities) for r in truth.regions),
                           len(items), error=error)
    groups: dict[str, list[Prediction]] = {}
    for p in items:
        groups.setdefault(_region_key(p.region_code, truth.regions), []).append(p)
    by_code = {r.nuts2021_code: r for r in truth.regions}
    traps = [normalise(t) for t in truth.traps]
    for code, group in groups.items():
        region = by_code.get(code)
        if region is None:
            result.fp += len(group)
            result.invented += [f"[{code}] {p.priority}" for p in group]
            _count_traps(result, [p.priority for p in group], traps, ratio)
            continue
        unmatched = _match(result, region, [p.priority for p in group], ratio)
        _count_traps(result, unmatched, traps, ratio)
    for region in truth.regions:
        if region.nuts2021_code not in groups:
            result.fn += len(region.priorities)
            result.missed += [f"{region.region}: {p}" for p in region.priorities]
    expected = set(by_code)
    found = set(groups)
    result.regions_found = len(found & expected)
    result.regions_extra = len(found - expected)
    result.regions_missed = len(expected - found)
    return result


def _match(result: DocumentScore, region: RegionTruth, texts: list[str],
           ratio: float) -> list[str]:
    """Pair `texts` with the region's priorities one to one, best first; add up TP, FP, FN.
    Returns the texts left unmatched that are false positives."""
    keys = [normalise(t) for t in texts]
    truth = [normalise(t) for t in region.priorities]
    candidates = sorted(
        ((similarity(a, b), -i, -j, i, j) for i, a in enumerate(keys) if a
         for j, b in enumerate(truth) if similarity(a, b) >= ratio), reverse=True)
    used_p: set[int] = set()
    used_t: set[int] = set()
    for _, _, _, i, j in candidates:
        if i not in used_p and j not in used_t:
            used_p.add(i)
            used_t.add(j)
    result.tp += len(used_p)
    optional = [normalise(t) for t in region.optional]
    false_positives = []
    for i, key in enumerate(keys):
        if i in used_p or (key and any(similarity(key, o) >= ratio for o in optional)):
            continue
        result.fp += 1
        result.invented.append(texts[i])
        false_positives.append(texts[i])
    for j, text in enumerate(region.priorities):
        if j not in used_t:
            result.fn += 1
            result.missed.append(f"{region.region}: {text}")
    return false_positives


def _count_traps(result: DocumentScore, texts: Iterable[str], traps: list[str],
                 ratio: float) -> None:
    for text in texts:
        key = normalise(text)
        if key and any(similarity(key, t) >= ratio for t in traps):
            result.trap_hits.append(text)


def score_corpus(truths: dict[str, DocumentTruth], predictions: Iterable[Prediction], *,
                 ratio: float = MATCH_RATIO, errors: dict[str, str] | None = None) -> CorpusReport:
    """Every truth document scored against the predictions naming it (by file name)."""
    by_document: dict[str, list[Prediction]] = {}
    for p in predictions:
        by_document.setdefault(Path(p.source_file).name, []).append(p)
    errors = errors or {}
    return CorpusReport(tuple(
        score_document(truth, by_document.get(name, ()), ratio=ratio, error=errors.get(name))
        for name, truth in truths.items()))


def evaluate_corpus(docs_dir: Path, toolkit: Toolkit) -> CorpusReport:
    """Read and extract every document with a truth file in `docs_dir`, then score it. A
    document whose extraction fails (ExtractionError) has no predictions."""
    docs_dir = Path(docs_dir)
    truths = load_truths(docs_dir)
    predictions: list[Prediction] = []
    errors = {}
    for name in truths:
        path = docs_dir / name
        try:
            document = read_document(path, source_id=source_id(name))
            extraction = extract(document, toolkit, source_file=name)
        except ExtractionError as e:
            errors[name] = f"{type(e).__name__}: {e.message}"
            logger.warning("%s: %s", name, errors[name])
            continue
        predictions += [Prediction(name, r.region_code, r.priority, r.level)
                        for r in extraction.records]
    return score_corpus(truths, predictions, errors=errors)


def report_lines(report: CorpusReport, *, details: bool = False) -> list[str]:
    """A per-document table (TP, FP, FN, P, R, F1, region accuracy, trap hits), overall last."""
    lines = [f"{'document':<52} {'TP':>3} {'FP':>3} {'FN':>3} {'P':>5} {'R':>5} {'F1':>5} "
             f"{'reg':>5} {'traps':>5}"]
    for d in report.documents:
        lines.append(f"{d.document[:52]:<52} {d.tp:3d} {d.fp:3d} {d.fn:3d} {d.precision:5.2f} "
                     f"{d.recall:5.2f} {d.f1:5.2f} {d.region_accuracy:5.2f} {len(d.trap_hits):5d}"
                     + (f"  ({d.error})" if d.error else ""))
        if details:
            lines += [f"    missed:   {x}" for x in d.missed]
            lines += [f"    invented: {x}" for x in d.invented]
            lines += [f"    trap:     {x}" for x in d.trap_hits]
    lines.append(f"{'overall (micro)':<52} {report.total('tp'):3d} {report.total('fp'):3d} "
                 f"{report.total('fn'):3d} {report.precision:5.2f} {report.recall:5.2f} "
                 f"{report.f1:5.2f} {report.region_accuracy:5.2f} {report.traps:5d}")
    return lines


def kind_lines(report: CorpusReport, truths: dict[str, DocumentTruth]) -> list[str]:
    """Micro-averaged figures per layout and per kind of trap the documents were made with."""
    groups: dict[str, list[DocumentScore]] = {}
    for d in report.documents:
        truth = truths.get(d.document)
        if truth is None:
            continue
        for key in (f"layout {truth.layout}" if truth.layout else "", *(f"kind {k}" for k in truth.kinds)):
            if key:
                groups.setdefault(key, []).append(d)
    lines = [f"{'layout / kind':<40} {'docs':>4} {'P':>5} {'R':>5} {'F1':>5} {'traps':>5}  published"]
    for key in sorted(groups):
        part = CorpusReport(tuple(groups[key]))
        figures = (f"{part.precision:5.2f} {part.recall:5.2f} {part.f1:5.2f}" if part.total("expected")
                   else f"{'-':>5} {'-':>5} {'-':>5}")  # documents with no S3 list: only what was published
        lines.append(f"{key[:40]:<40} {len(groups[key]):4d} {figures} {part.traps:5d}  {part.total('predicted')}")
    return lines
