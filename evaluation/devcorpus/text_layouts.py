"""Web page and text export layouts: HTML with menus, a sidebar and a footer, and .txt/.md."""

from __future__ import annotations

from html import escape
from pathlib import Path

from evaluation.devcorpus.documents import CorpusDocument, Part, sub_marker

ORDERED = {"1.": "", "1)": "", "a)": ' type="a"'}


def _html_list(part: Part) -> str:
    tag = "ol" if part.style in ORDERED else "ul"
    items = []
    for item in part.items:
        subs = "".join(f"<li>{escape(s)}</li>" for s in item.subs)
        items.append(f"<li>{escape(item.text)}" + (f"<ul>{subs}</ul>" if subs else "") + "</li>")
    start = f' start="{part.start}"' if tag == "ol" and part.start != 1 else ""
    return f"<{tag}{ORDERED.get(part.style, '')}{start}>\n  " + "\n  ".join(items) + f"\n</{tag}>"


def _html_table(part: Part) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in part.header)
    rows = "".join("<tr>" + "".join(f"<td>{'<br>'.join(escape(x) for x in c.split(chr(10)))}</td>"
                                    for c in row) + "</tr>\n" for row in part.rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>"


def _links(items: tuple[str, ...]) -> str:
    return "<ul>" + "".join(f'<li><a href="#">{escape(t)}</a></li>' for t in items) + "</ul>"


def web_html(document: CorpusDocument, path: Path) -> None:
    """A region's web page: h1/h2, ul/ol, a menu, a sidebar of links and a footer."""
    body = [f"<h1>{escape(document.title)}</h1>"]
    if document.subtitle:
        body.append(f'<p class="ingress">{escape(document.subtitle)}</p>')
    for part in document.parts:
        if part.kind == "heading":
            level = min(part.level + 1, 4)
            body.append(f"<h{level}>{escape(part.text)}</h{level}>")
        elif part.kind == "para":
            body.append(f"<p>{escape(part.text)}</p>")
        elif part.kind == "list":
            body.append(_html_list(part))
        elif part.kind == "table":
            body.append(_html_table(part))
        elif part.kind == "toc":
            body.append('<nav class="toc"><ul>' + "".join(
                f'<li><a href="#">{escape(h.text)}</a></li>' for h in document.headings) + "</ul></nav>")
    lang = document.language
    page = [
        "<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", '<meta charset="utf-8">',
        f"<title>{escape(document.title)} | {escape(document.publisher)}</title>", "</head>",
        "<body>", f'<header><p class="logo">{escape(document.publisher)}</p>',
        f'<nav class="menu">{_links(document.nav)}</nav></header>' if document.nav else "</header>",
        "<main>", *body, "</main>",
    ]
    if document.sidebar:
        label = "Relaterat" if lang == "sv" else "Related"
        page.append(f'<aside><h2>{label}</h2>{_links(document.sidebar)}</aside>')
    if document.footer:
        page.append(f"<footer>{_links(document.footer)}</footer>")
    page += ["</body>", "</html>", ""]
    path.write_text("\n".join(page), encoding="utf-8")


def _text_list(part: Part, markdown: bool) -> list[str]:
    lines = []
    for i, item in enumerate(part.items):
        glyph = part.marker(i)
        if markdown and glyph in ("•", "▪", "➢", "–", "o"):
            glyph = "-"
        lines.append(f"{glyph} {item.text}")
        sub_glyph = "-" if markdown else sub_marker(part.style)
        lines += [f"  {sub_glyph} {s}" for s in item.subs]
    return lines


def text_export(document: CorpusDocument, path: Path) -> None:
    """A plain-text (.txt) or Markdown (.md) export: headings as `#` in Markdown and as
    their own lines in text, bullets and numbers typed, tables as pipes or tabs."""
    markdown = document.format == "md"
    lines = [f"# {document.title}" if markdown else document.title.upper(), ""]
    if document.subtitle:
        lines += [document.subtitle, ""]
    for part in document.parts:
        if part.kind == "heading":
            lines += [f"{'#' * (part.level + 1)} {part.text}" if markdown else part.text, ""]
        elif part.kind == "para":
            lines += [part.text, ""]
        elif part.kind == "list":
            lines += _text_list(part, markdown) + [""]
        elif part.kind == "table":
            rows = ([part.header] if part.header else []) + list(part.rows)
            for r, row in enumerate(rows):
                cells = [c.replace("\n", "; ") for c in row]
                lines.append(("| " + " | ".join(cells) + " |") if markdown else "\t".join(cells))
                if markdown and r == 0:
                    lines.append("|" + "---|" * len(row))
            lines.append("")
        elif part.kind == "toc":
            lines += [part.text] + [h.text for h in document.headings] + [""]
        elif part.kind == "break":
            lines.append("\f" if not markdown else "")
    path.write_text("\n".join(lines), encoding="utf-8")
