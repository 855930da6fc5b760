"""The `current` table: per region, the priorities of its newest authoritative source."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date

import pyarrow.parquet as pq

from smartspec.extractors.records import PriorityRecord, SourceRecord
from smartspec.publishing import CURRENT_ARROW, current_priorities, priorities_frame, read_table, sources_frame, validate
from smartspec.publishing.versions import publish
from smartspec.schemas.current import CurrentSchema
from smartspec.schemas.priorities import PrioritySchema
from tests.helpers.records import NOW, items, priority, source

REGIONS = {"SE332", "SE331", "SE224"}


def current_of(records: list[PriorityRecord], source_records: list[SourceRecord]) -> dict[str, tuple[str, list[str]]]:
    priorities, sources = validate(priorities_frame(records), sources_frame(source_records), region_codes=REGIONS)
    current = current_priorities(priorities, sources)
    return {
        code: (rows[CurrentSchema.source_id].iloc[0], rows[CurrentSchema.priority].tolist())
        for code, rows in current.groupby(CurrentSchema.region_code)
    }


def test_a_regions_own_strategy_beats_a_newer_overview_deck() -> None:
    records = [*items("deck-2024", "SE332", "Rymd", "Gruvor"), *items("deck-2024", "SE224", "Livsmedel"),
               *items("norrbotten-2019", "SE332", "Rymdteknik")]
    sources = [source("deck-2024", regions=2, scope="overview", published=date(2024, 1, 1)),
               source("norrbotten-2019", scope="region", published=date(2019, 1, 1))]
    assert current_of(records, sources) == {
        "SE332": ("norrbotten-2019", ["Rymdteknik"]),  # own strategy, though older
        "SE224": ("deck-2024", ["Livsmedel"]),  # only the deck covers Skåne
    }


def test_the_newest_published_date_wins_and_undated_comes_last() -> None:
    records = [*items("a-2018", "SE332", "Gammal"), *items("b-2022", "SE332", "Ny"),
               *items("c-undated", "SE332", "Okänd")]
    sources = [source("a-2018", scope="region", published=date(2018, 5, 1)),
               source("b-2022", scope="region", published=date(2022, 5, 1)),
               source("c-undated", scope="region")]
    assert current_of(records, sources) == {"SE332": ("b-2022", ["Ny"])}
    assert current_of(records[:1] + records[2:], sources) == {"SE332": ("a-2018", ["Gammal"])}


def test_ties_break_on_the_smallest_source_id() -> None:
    records = [*items("zeta", "SE332", "Z"), *items("alfa", "SE332", "A")]
    sources = [source("zeta", published=date(2020, 1, 1)), source("alfa", published=date(2020, 1, 1))]
    assert current_of(records, sources) == {"SE332": ("alfa", ["A"])}
    assert current_of(records, list(reversed(sources))) == {"SE332": ("alfa", ["A"])}


def test_without_a_scope_a_source_naming_several_regions_is_an_overview() -> None:
    records = [*items("deck", "SE332", "Rymd"), *items("deck", "SE331", "Skog"), *items("plan", "SE332", "Gruvor")]
    sources = [source("deck", regions=2, published=date(2024, 1, 1)), source("plan", published=date(2010, 1, 1))]
    assert current_of(records, sources) == {"SE332": ("plan", ["Gruvor"]), "SE331": ("deck", ["Skog"])}
    priorities, source_table = validate(priorities_frame(records), sources_frame(sources), region_codes=REGIONS)
    scopes = current_priorities(priorities, source_table).groupby(CurrentSchema.source_id)[CurrentSchema.source_scope]
    assert scopes.first().to_dict() == {"deck": "overview", "plan": "region"}


def test_current_keeps_every_priority_column_and_sub_items() -> None:
    records = [*items("plan", "SE332", "Rymd", "Gruvor"),
               priority("Rymdbaserade tjänster", 3, level=2, parent_position=1, source_id="plan",
                        source_file="plan.pdf", source_sha256=hashlib.sha256(b"plan").hexdigest())]
    priorities, sources = validate(priorities_frame(records), sources_frame([source("plan")]), region_codes=REGIONS)
    current = current_priorities(priorities, sources)
    assert list(current.columns) == [*PrioritySchema.to_schema().columns, "source_scope", "source_published"]
    assert current[CurrentSchema.priority].tolist() == ["Rymd", "Gruvor", "Rymdbaserade tjänster"]
    assert current[CurrentSchema.source_published].isna().all()


def test_no_priorities_give_an_empty_current_table() -> None:
    priorities, sources = validate(priorities_frame([]), sources_frame([]), region_codes=REGIONS)
    current = current_priorities(priorities, sources)
    assert current.empty and list(current.columns) == list(CurrentSchema.to_schema().columns)


def test_current_is_published_typed_and_byte_identical_for_the_same_inputs(tmp_path) -> None:
    records = [*items("deck", "SE332", "Rymd"), *items("deck", "SE224", "Mat"), *items("plan", "SE332", "Gruvor")]
    sources = [source("deck", regions=2, published=date(2024, 1, 1)),
               source("plan", scope="region", published=date(2019, 3, 1))]
    results = []
    for run, order in (("a", 1), ("b", -1)):  # the same rows, given in opposite orders
        priorities, source_table = validate(priorities_frame(records[::order]), sources_frame(sources[::order]),
                                            region_codes=REGIONS)
        results.append(publish(priorities, source_table, tmp_path / run, code_version="0", inputs={}, now=NOW))
    first, second = (result.path / "current.parquet" for result in results)
    assert first.read_bytes() == second.read_bytes()
    assert pq.read_schema(first) == CURRENT_ARROW
    current = read_table(tmp_path / "a", "current")
    chosen = current.drop_duplicates(CurrentSchema.region_code)
    assert [(row.region_code, row.source_id, row.source_scope, row.source_published.date())
            for row in chosen.itertuples()] == [
        ("SE224", "deck", "overview", date(2024, 1, 1)), ("SE332", "plan", "region", date(2019, 3, 1))]


def test_current_is_derived_so_it_is_not_in_the_fingerprint(tmp_path) -> None:
    records = items("plan", "SE332", "Rymd")
    priorities, sources = validate(priorities_frame(records), sources_frame([source("plan")]), region_codes=REGIONS)
    publish(priorities, sources, tmp_path, code_version="0", inputs={}, now=NOW)
    again = publish(priorities, sources, tmp_path, code_version="1", inputs={}, now=NOW)
    assert again.status == "unchanged"
    moved = dataclasses.replace(source("plan"), published=date(2021, 1, 1))  # a source fact: new data
    priorities, sources = validate(priorities_frame(records), sources_frame([moved]), region_codes=REGIONS)
    assert publish(priorities, sources, tmp_path, code_version="1", inputs={}, now=NOW).status == "published"


def test_among_renditions_of_one_document_the_more_confident_wins_before_the_other_rules() -> None:
    pdf = [dataclasses.replace(r, section_confidence=0.4) for r in items("x.pdf", "SE332", "Rymd", "Gruvor")]
    pptx = [dataclasses.replace(r, section_confidence=0.9) for r in items("x.pptx", "SE332", "Rymdteknik")]
    other = [dataclasses.replace(r, section_confidence=0.2) for r in items("other", "SE332", "Skog")]
    sources = [source("x.pdf", scope="region", published=date(2024, 1, 1), document_id="x"),
               source("x.pptx", scope="region", document_id="x"),  # undated, yet more confident
               source("other", scope="region", published=date(2023, 1, 1))]
    # x.pptx beats its own PDF, then the rules as before: dated `other` beats undated x.pptx
    assert current_of([*pdf, *pptx, *other], sources) == {"SE332": ("other", ["Skog"])}
    assert current_of([*pdf, *pptx], sources[:2]) == {"SE332": ("x.pptx", ["Rymdteknik"])}
    # without renditions the PDF, dated, would win
    alone = [source("x.pdf", scope="region", published=date(2024, 1, 1)), source("x.pptx", scope="region")]
    assert current_of([*pdf, *pptx], alone) == {"SE332": ("x.pdf", ["Rymd", "Gruvor"])}


def test_an_overviews_rows_without_confidence_count_as_certain() -> None:
    deck = items("x.pptx", "SE332", "Rymd")  # section_confidence None: a region heading
    pdf = [dataclasses.replace(r, section_confidence=0.99) for r in items("x.pdf", "SE332", "Rymd")]
    sources = [source("x.pdf", scope="overview", document_id="x"), source("x.pptx", scope="overview", document_id="x")]
    assert current_of([*deck, *pdf], sources) == {"SE332": ("x.pptx", ["Rymd"])}
