"""Build the seed deck: a PPTX rendition of Tillväxtverket's 2019 deck "Smart specialisering".

Run from the repository root:

    .venv/bin/python scripts/make_seed_deck.py

It writes three files from the text embedded below (nothing is read at run time):

- `raw/tillvaxtverket-smart-specialisering-2019.pptx`: 16:9, built with python-pptx. The
  region map is spread over three slides of side-by-side text boxes, with the layouts the
  PPTX reader has to cope with: several regions per box (bold name, then "•" bullets), a
  region whose name is a small box of its own above its bullet box, a grouped heading and
  bullet box (group offset differs from its child offset), and Västerbotten's bullets
  running over from one slide onto the next with no heading before them.
- `tests/data/seed_deck.pdf`: that deck converted by LibreOffice (skipped, with a warning,
  where `soffice` is absent; the PDF is committed so the pipeline never needs LibreOffice).
- `tests/data/seed_deck.txt`: the Markdown-like text export of the original deck.

Bullets keep the original's wording, typos included ("Norrbottnen", "Entreprenörskivet").
The PPTX is byte-stable across runs: fixed core properties and zip entry dates.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
PPTX_PATH = ROOT / "raw" / "tillvaxtverket-smart-specialisering-2019.pptx"
PDF_PATH = ROOT / "tests" / "data" / "seed_deck.pdf"
TEXT_PATH = ROOT / "tests" / "data" / "seed_deck.txt"

# ---------------------------------------------------------------------------------------
# The deck's text, verbatim.
# ---------------------------------------------------------------------------------------
TITLE = "Smart specialisering"
PRESENTER = "Cecilia Johansson"
DATE = "2019-02-13"
INTRO = (
    "Introducerades 2014 kopplat till användande av ERUF till forskning och innovation",
    "S3 syftar till att stärka regioners konkurrenskraft genom att identifiera områden inom "
    "vilka regionen har fördelar gentemot andra regioner.",
    "Modell för utveckling av regional innovationsstrategi - 6-steps process",
    "S3 strategi samutvecklas av det offentliga, näringsliv och akademi",
    "Upprätta strukturer för en fortlöpande process där strategi kan förändras och förankras",
    "Välja ut ett antal prioriterade utvecklingsområden till vilka insatser fokuseras",
    "Vara utåtblickande, identifiera konkurrensfördelar och hitta samarbetspartners",
    "Inte bara teknologi, utan bred syn på innovation (miljö, social, tjänste, etc)",
)
MANDATE_TITLE = "Regeringsuppdrag:"
MANDATE_LEAD = "Tillväxtverket ska:"
MANDATE_QUOTE = (
    "”Fram till och med 2020 stödja aktörer med regionalt utvecklingsansvar i deras arbete med "
    "smart specialisering samt att sprida kunskaper och erfarenheter från detta arbete.”"
)
MANDATE_NOTE = (
    "Smart specialisering syftar till att prioritera vissa teknologier, sektorer etc i en region "
    "och att inom dessa identifiera områden för innovations- och policyåtgärder – för framtida "
    "konkurrenskraft."
)
MAP_TITLE = "Smart specialisering i Sveriges regioner – uppdateras löpande"
REGIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Norrbottnen", (
        "Teknik- och tjänsteutveckling inom industrin", "Test- och övningsverksamhet",
        "Energi- och miljöteknik/cleantech", "Digitala tjänstenärings",
        "Kulturella och kreativa näringar",
    )),
    ("Jämtland-Härjedalen", ("Entreprenörskivet", "Sport, turism, outdoor", "Tillverkande industri")),
    ("Västerbotten", (
        "Digitala tjänster", "Hälsa och sjukvård", "Life Science", "Testverksamhet",
        "Hållbar energi och miljöteknik", "Upplevelsenärings",
    )),
    ("Västernorrland", ("Skog", "IT")),
    ("Dalarna", (
        "Upplevelseproduktion", "Energieffektivt samhällsbyggande", "Avancerad Industri",
        "Hälsa & välfärd",
    )),
    ("Västmanland", ("Automation", "Energi", "Järnväg", "Välfärd och hälsa")),
    ("Gävleborg", (
        "Materialteknologi och hållbar produktion", "Smarta hållbara städer/samhällen",
        "Hållbart inkluderande arbetsliv", "Bioekonomi", "Digitala tjänster/processer",
    )),
    ("Uppsala", (
        "Life science", "Energi/miljö", "Avancerad produktion", "Tech-branschen",
        "Gröna näringar", "Besöksnäring",
    )),
    ("Stockholm", ("Hälsa vård, omsorg", "Gröna transporter/bostäder", "Avancerad produktion/material")),
    ("Södermanland", (
        "Avancerad tillverkning för krävande miljöer",
        "Biobaserade näringar; hållbar produktion och effektiv distribution",
        "Verksamhetsnära digitala tjänster",
    )),
    ("Östergötland", (
        "Effektiv logistik", "Affärsmodeller för hållbara systemlösningar",
        "Smarta, säkra och uppkopplade produkter/system", "Simulering & visualisering",
        "Avancerade material",
    )),
    ("Gotland", ("Besöksnäring", "Livsmedel")),
    ("Kalmar", ("Boende", "Livsmedel", "Besöksnäring")),
    ("Örebro", (
        "Autonoma digitaliserade intelligenta system",
        "Livsmedel i skärningen hållbarhet, hälsa, miljö & måltid",
    )),
    ("Jönköping", ("Attityder för innovationer", "Effektiva processer för innovation", "Samverkan för innovation")),
    ("Kronoberg", ("Hållbart boende", "Konkurrenskraftig produktion")),
    ("Blekinge", ("ICT", "Digitalisering", "Materialbearbetning")),
    ("Skåne", ("Smarta hållbara städer", "Personlig hälsa", "Smarta material")),
)
PROCESS_TITLE = "Processen"
PROCESS = (
    "Kartan har tagits fram i dialog med 21 regioner",
    "Kartan utvecklas och revideras löpande allteftersom regionerna förändrar eller finjusterar "
    "sina prioriteringar efterhand",
    "Vi har nätverksträffar för regionernas gemensamma strategiarbete",
    "Smart specialisering ett bra verktyg för att veta hur vi ska prioritera och samverka över "
    "regionala och nationella gränser",
    "Kartan en bra grund för hur vi ska prioritera nationellt inför kommande programperiod",
)
NEXT_TITLE = "Vad händer nu?"
NEXT_MARKER = "▶"
NEXT = (
    "Uppföljande dialoger och metodstöd",
    "S3-piloten – för att nå företagen",
    "Samverkan över regionala gränser inför 2020+",
)


# ---------------------------------------------------------------------------------------
# How the map is laid out: slides -> columns -> pieces stacked top to bottom.
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Part:
    """Bullets `start:stop` of a region; `heading` False for a run-over with no name before it."""

    region: str
    start: int = 0
    stop: int | None = None
    heading: bool = True


# A piece is ("box", parts) - one text box holding several regions -, ("titled", part) - the
# region name in a small box of its own with the bullet box right below -, or ("group", part):
# the same two boxes grouped.
MAP_SLIDES = (
    (
        (("box", (Part("Norrbottnen"),)),),
        (("box", (Part("Jämtland-Härjedalen"), Part("Västerbotten", 0, 3))),),
    ),
    (
        (("box", (Part("Västerbotten", 3, None, heading=False), Part("Västernorrland"), Part("Dalarna"))),),
        (("box", (Part("Västmanland"), Part("Gävleborg"))),),
        (("titled", Part("Uppsala")), ("box", (Part("Stockholm"),))),
    ),
    (
        (("box", (Part("Södermanland"), Part("Östergötland"))),),
        (("group", Part("Gotland")), ("box", (Part("Kalmar"), Part("Örebro"), Part("Jönköping")))),
        (("box", (Part("Kronoberg"), Part("Blekinge"), Part("Skåne"))),),
    ),
)

SLIDE_WIDTH = Emu(12192000)
SLIDE_HEIGHT = Emu(6858000)
_TEMPLATE_WIDTH = 9144000  # python-pptx's default template is 4:3
CORE_DATE = datetime(2019, 2, 13, 9, 0, 0)
ZIP_DATE = (2019, 2, 13, 9, 0, 0)

ACCENT = RGBColor(0x00, 0x5B, 0x7F)  # Tillväxtverket-like petrol blue for region names
HEADING_PT = 18
BULLET_PT = 16
INTRO_PT = 20
MAP_TITLE_PT = 26
COLUMN_LEFT = Inches(0.55)
COLUMN_WIDTH = Inches(3.9)
COLUMN_GAP = Inches(0.3)
COLUMN_TOP = Inches(1.55)
PIECE_GAP = Inches(0.12)
BULLET_INDENT = Inches(0.25)
_INSET_PT = 7.2  # python-pptx text box default top + bottom inset (0.05 in each)
_CHAR_EM = 0.5  # average glyph width of the body font, in em, for line-wrap estimates
_LINE_FACTOR = 1.2


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    _check_map_covers_regions()
    PPTX_PATH.parent.mkdir(parents=True, exist_ok=True)
    TEXT_PATH.parent.mkdir(parents=True, exist_ok=True)
    PPTX_PATH.write_bytes(_stable_zip(_build_deck()))
    logger.info("wrote %s", PPTX_PATH.relative_to(ROOT))
    TEXT_PATH.write_text(seed_text(), encoding="utf-8")
    logger.info("wrote %s", TEXT_PATH.relative_to(ROOT))
    _convert_to_pdf(PPTX_PATH, PDF_PATH)


def seed_text() -> str:
    """The original's text export: '#' slide titles, '##' headings, '- ' bullets."""

    def bullets(items: tuple[str, ...], marker: str = "") -> str:
        prefix = f"- {marker} " if marker else "- "
        return "".join(f"{prefix}{item}\n" for item in items)

    # The export starts with four empty lines and a lone space (the cover's empty boxes) and
    # separates most slides by three empty lines; kept as the original has them.
    text = "\n\n\n\n \n"
    text += f"# {TITLE}\n\n{PRESENTER}\n\n{DATE}\n\n"
    text += f"# {TITLE}\n\n{bullets(INTRO)}\n\n\n"
    text += f"# {MANDATE_TITLE}\n\n## {MANDATE_LEAD}\n\n*{MANDATE_QUOTE}*\n\n{MANDATE_NOTE}\n\n\n\n"
    text += f"# {MAP_TITLE}\n\n"
    text += "\n".join(f"## {name}\n\n{bullets(items)}" for name, items in REGIONS) + "\n\n\n"
    text += f"# {PROCESS_TITLE}\n\n{bullets(PROCESS)}\n"
    text += f"# {NEXT_TITLE}\n\n{bullets(NEXT, NEXT_MARKER)}\n"
    return text


def _check_map_covers_regions() -> None:
    """Every region and bullet appears on the map slides exactly once, in the seed's order."""
    laid_out: list[tuple[str, str | None]] = []
    for slide in MAP_SLIDES:
        for column in slide:
            for kind, content in column:
                for part in content if kind == "box" else (content,):
                    if part.heading:
                        laid_out.append((part.region, None))
                    laid_out.extend((part.region, b) for b in _bullets(part))
    expected = [(name, b) for name, items in REGIONS for b in (None, *items)]
    if laid_out != expected:
        raise SystemExit("MAP_SLIDES does not lay out REGIONS exactly once and in order")


def _bullets(part: Part) -> tuple[str, ...]:
    return dict(REGIONS)[part.region][part.start:part.stop]


# ---------------------------------------------------------------------------------------
# The deck
# ---------------------------------------------------------------------------------------
def _build_deck() -> bytes:
    prs = Presentation()
    _widen_to_16_9(prs)
    title_slide, content, title_only = (prs.slide_layouts[i] for i in (0, 1, 5))

    slide = prs.slides.add_slide(title_slide)
    slide.shapes.title.text = TITLE
    slide.placeholders[1].text_frame.text = f"{PRESENTER}\n{DATE}"

    _bulleted_slide(prs, content, TITLE, INTRO, size=INTRO_PT)
    _mandate_slide(prs.slides.add_slide(title_only))
    for columns in MAP_SLIDES:
        _map_slide(prs.slides.add_slide(title_only), columns)
    _bulleted_slide(prs, content, PROCESS_TITLE, PROCESS, size=INTRO_PT)
    _bulleted_slide(prs, content, NEXT_TITLE, NEXT, size=28, marker=NEXT_MARKER)

    core = prs.core_properties
    core.author = core.last_modified_by = "Tillväxtverket"
    core.title = TITLE
    core.subject = core.keywords = core.comments = core.category = ""
    core.revision = 1
    core.created = core.modified = core.last_printed = CORE_DATE
    core.language = "sv-SE"
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _widen_to_16_9(prs) -> None:
    """Set 16:9 and stretch the template's master and layout placeholders to the new width."""
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    scale = SLIDE_WIDTH / _TEMPLATE_WIDTH
    master = prs.slide_master
    for layout_or_master in (master, *master.slide_layouts):
        for shape in layout_or_master.placeholders:
            if shape._element.xfrm is not None:  # only positions set here, not inherited ones
                shape.left, shape.width = Emu(round(shape.left * scale)), Emu(round(shape.width * scale))


def _bulleted_slide(prs, layout, title: str, items, *, size: int, marker: str = "") -> None:
    """Title and Content: the body placeholder's bullets come from the master unless `marker`."""
    slide = prs.slides.add_slide(layout)
    slide.shapes.title.text = title
    frame = slide.placeholders[1].text_frame
    for index, item in enumerate(items):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        if marker:
            _set_bullet(paragraph, marker, indent=Inches(0.45), font="DejaVu Sans")
        run = paragraph.add_run()
        run.text = item
        run.font.size = Pt(size)


def _mandate_slide(slide) -> None:
    slide.shapes.title.text = MANDATE_TITLE
    box = slide.shapes.add_textbox(Inches(1.2), Inches(1.9), Inches(10.9), Inches(4.2))
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    lead, quote, note = frame.paragraphs[0], frame.add_paragraph(), frame.add_paragraph()
    _add_run(lead, MANDATE_LEAD, size=24, bold=True)
    _add_run(quote, MANDATE_QUOTE, size=22, italic=True)
    _add_run(note, MANDATE_NOTE, size=20)
    for paragraph in (quote, note):
        paragraph.space_before = Pt(18)


def _map_slide(slide, columns) -> None:
    slide.shapes.title.text = MAP_TITLE
    slide.shapes.title.text_frame.paragraphs[0].runs[0].font.size = Pt(MAP_TITLE_PT)
    for index, column in enumerate(columns):
        left = COLUMN_LEFT + index * (COLUMN_WIDTH + COLUMN_GAP)
        top = COLUMN_TOP
        for kind, content in column:
            if kind == "box":
                top += _region_box(slide.shapes, content, left, top) + PIECE_GAP
            else:
                top += _titled_region(slide.shapes, content, left, top, grouped=kind == "group") + PIECE_GAP


def _region_box(shapes, parts, left: int, top: int) -> int:
    """One text box, several regions: bold name paragraphs, each followed by its bullets."""
    lines: list[tuple[str, bool, bool]] = []  # text, is heading, is first paragraph
    for part in parts:
        if part.heading:
            lines.append((part.region, True, not lines))
        lines.extend((b, False, not lines) for b in _bullets(part))
    height = _box_height(lines)
    frame = _text_box(shapes, left, top, height)
    for text, is_heading, first in lines:
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        _fill_region_line(paragraph, text, is_heading, first)
    return height


def _titled_region(shapes, part: Part, left: int, top: int, *, grouped: bool) -> int:
    """The region name in its own small box, its bullets in a box right below; maybe grouped."""
    head_lines = [(part.region, True, True)]
    bullet_lines = [(b, False, i == 0) for i, b in enumerate(_bullets(part))]
    head_height, bullets_height = _box_height(head_lines), _box_height(bullet_lines)
    # A group's children live in the group's own coordinate space: build them at the origin
    # and move the group, so its offset (off) differs from its child offset (chOff).
    group = shapes.add_group_shape() if grouped else None
    target = group.shapes if group is not None else shapes
    x, y = (0, 0) if grouped else (left, top)
    for lines, box_top, height in ((head_lines, y, head_height), (bullet_lines, y + head_height, bullets_height)):
        frame = _text_box(target, x, box_top, height)
        for text, is_heading, first in lines:
            _fill_region_line(frame.paragraphs[0] if first else frame.add_paragraph(), text, is_heading, first)
    if group is not None:
        group.left, group.top = Emu(left), Emu(top)
    return head_height + bullets_height


def _text_box(shapes, left: int, top: int, height: int):
    box = shapes.add_textbox(Emu(left), Emu(top), COLUMN_WIDTH, Emu(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    return frame


def _fill_region_line(paragraph, text: str, is_heading: bool, first: bool) -> None:
    if is_heading:
        if not first:
            paragraph.space_before = Pt(10)
        _add_run(paragraph, text, size=HEADING_PT, bold=True, color=ACCENT)
    else:
        _set_bullet(paragraph, "•", indent=BULLET_INDENT, font="Arial")
        _add_run(paragraph, text, size=BULLET_PT)


def _box_height(lines) -> int:
    """Rough height of a text box holding `lines`, from an average glyph width."""
    width_pt = COLUMN_WIDTH / 12700 - 14.4  # left + right insets
    points = _INSET_PT
    for text, is_heading, first in lines:
        size = HEADING_PT if is_heading else BULLET_PT
        usable = width_pt - (0 if is_heading else BULLET_INDENT / 12700)
        per_line = max(1, int(usable / (size * _CHAR_EM)))
        wrapped = -(-len(text) // per_line)
        points += wrapped * size * _LINE_FACTOR + (10 if is_heading and not first else 0)
    return int(Pt(points + 4))


def _add_run(paragraph, text: str, *, size: int, bold: bool = False, italic: bool = False,
             color: RGBColor | None = None) -> None:
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if italic:
        run.font.italic = True
    if color is not None:
        run.font.color.rgb = color


def _set_bullet(paragraph, char: str, *, indent: int, font: str) -> None:
    """An explicit bullet in the paragraph's own a:pPr (a:buFont + a:buChar, schema order)."""
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.set("marL", str(int(indent)))
    p_pr.set("indent", str(-int(indent)))
    for tag in ("a:buFont", "a:buChar"):  # after a:spcBef, which python-pptx may add later
        for old in p_pr.findall(qn(tag)):
            p_pr.remove(old)
    etree.SubElement(p_pr, qn("a:buFont")).set("typeface", font)
    etree.SubElement(p_pr, qn("a:buChar")).set("char", char)


def _stable_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry dates so reruns give identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info))
    return out.getvalue()


def _convert_to_pdf(pptx_path: Path, pdf_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        logger.warning("soffice (LibreOffice) not found: %s not rebuilt; the committed copy stays",
                       pdf_path.relative_to(ROOT))
        return
    with tempfile.TemporaryDirectory() as tmp:
        # A private profile, so a LibreOffice already running (or another conversion) can't
        # swallow this one.
        profile = Path(tmp, "profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                   "--outdir", tmp, str(pptx_path)]
        subprocess.run(command, check=True, capture_output=True, timeout=300)
        produced = Path(tmp, pptx_path.with_suffix(".pdf").name)
        if not produced.exists():
            raise SystemExit(f"LibreOffice did not write {produced.name}")
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(produced, pdf_path)
    logger.info("wrote %s", pdf_path.relative_to(ROOT))


if __name__ == "__main__":
    main()
