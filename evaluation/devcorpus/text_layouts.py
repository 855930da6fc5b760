"""Web page and text export layouts: HTML with menus, a sidebar and a footer, a web page as a
browser saves it, and .txt/.md."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path

from smartspec.evaluation.devcorpus.documents import (CorpusDocument, Part, contents_label, item_marker,
                                            sub_item_marker)

ORDERED = {"1.": "", "1)": "", "a)": ' type="a"'}


def _html_list(part: Part) -> str:
    tag = "ol" if part.style in ORDERED else "ul"
    sub_tag = "ol" if part.sub_style in ORDERED else "ul"
    items = []
    for item in part.items:
        subs = "".join(f"<li>{escape(s)}</li>" for s in item.subs)
        name = f"<strong>{escape(item.text)}</strong>" if part.bold_names else escape(item.text)
        items.append(f"<li>{name}{escape(item.tail)}"
                     + (f"<{sub_tag}{ORDERED.get(part.sub_style, '')}>{subs}</{sub_tag}>" if subs else "")
                     + "</li>")
    start = f' start="{part.start}"' if tag == "ol" and part.start != 1 else ""
    return f"<{tag}{ORDERED.get(part.style, '')}{start}>\n  " + "\n  ".join(items) + f"\n</{tag}>"


def _html_table(part: Part) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in part.header)
    rows = "".join("<tr>" + "".join(f"<td>{'<br>'.join(escape(x) for x in c.split(chr(10)))}</td>"
                                    for c in row) + "</tr>\n" for row in part.rows)
    caption = f"\n<caption>{escape(part.caption)}</caption>" if part.caption else ""
    return f"<table>{caption}\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>"


def _links(items: tuple[str, ...]) -> str:
    return "<ul>" + "".join(f'<li><a href="#">{escape(t)}</a></li>' for t in items) + "</ul>"


def _nav_toc(document: CorpusDocument, part: Part) -> str:
    """Links to all the page's headings, in a nav."""
    return '<nav class="toc"><ul>' + "".join(
        f'<li><a href="#">{escape(h.text)}</a></li>' for h in document.headings) + "</ul></nav>"


def _article(document: CorpusDocument, toc: Callable[[CorpusDocument, Part], str]) -> list[str]:
    """The page's own content: h1, an ingress, h2-h4, lists, tables and `toc` for a contents
    part."""
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
            body.append(toc(document, part))
    return body


def web_html(document: CorpusDocument, path: Path) -> None:
    """A region's web page: h1/h2, ul/ol, a menu, a sidebar of links and a footer."""
    body = _article(document, _nav_toc)
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
        glyph = item_marker(part, i)
        if markdown and glyph in ("•", "▪", "➢", "–", "o"):
            glyph = "-"
        lines.append(f"{glyph} {item.text}{item.tail}")
        lines += [f"  {'-' if markdown else sub_item_marker(part, j)} {s}" for j, s in enumerate(item.subs)]
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


# ---- a web page as a browser saves it --------------------------------------------------
SAVED_PAGE = """<!DOCTYPE html>
<!-- saved from url=({url_length:04d}){url} -->
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} | {site}</title>
  <meta name="description" content="{title}">
  <link rel="canonical" href="{url}">
  <style>
    body {{ font-family: Arial, sans-serif; margin: 0; color: #222; }}
    .site-header, .site-footer {{ background: #1f3a5f; color: #fff; padding: 1em 2em; }}
    main {{ max-width: 46em; margin: 0 auto; padding: 1em 2em; }}
    table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #999; padding: .3em .6em; }}
    .toc {{ background: #f2f5f9; padding: .5em 1.5em; }}
  </style>
  <script type="application/ld+json">{{"@context": "https://schema.org", "@type": "WebPage", "name": {title_json}, "dateModified": "{saved}"}}</script>
  <script>
    window.dataLayer = window.dataLayer || [];
    function gtag(){{dataLayer.push(arguments);}}
    gtag('js', new Date('{saved}'));
  </script>
</head>
<body>
  <a class="skip-link" href="#content">{skip}</a>
  <header class="site-header">
    <div class="logo"><a href="#">{site}</a></div>
    <nav aria-label="{menu_label}">{menu}</nav>
    <form class="search" role="search"><input type="search" name="q" placeholder="{search}"><button>{search}</button></form>
  </header>
  <nav class="breadcrumbs" aria-label="{crumbs_label}">{crumbs}</nav>
  <main id="content">
    <article>
{article}
    </article>
  </main>
  <footer class="site-footer">
    <p><strong>{site}</strong></p>
    {footer}
  </footer>
  <div id="cookie-banner" style="display:none">{cookies} <button>OK</button></div>
  <script src="/static/js/site.min.js" defer></script>
</body>
</html>
"""
# The page's own words, by language.
SAVED_PAGE_WORDS = {
    "sv": {"skip": "Till innehållet", "menu_label": "Huvudmeny", "search": "Sök",
           "crumbs_label": "Du är här", "cookies": "Vi använder kakor för att förbättra webbplatsen."},
    "en": {"skip": "Skip to content", "menu_label": "Main menu", "search": "Search",
           "crumbs_label": "You are here", "cookies": "We use cookies to improve this website."},
}


def _in_page_toc(document: CorpusDocument, part: Part) -> str:
    """Links to the page's headings down to `depth`, deeper ones nested in the entry above,
    under a bold label, in a div (not a nav)."""
    tag = "ol" if part.style in ORDERED else "ul"
    html, depth = "", 0
    for heading in (h for h in document.headings if h.level <= part.depth):
        if heading.level > depth:
            html += f"<{tag}>" * (heading.level - depth)
        else:
            html += "</li>" + f"</{tag}></li>" * (depth - heading.level)
        html += f'<li><a href="#">{escape(heading.text)}</a>'
        depth = heading.level
    html += "</li>" + f"</{tag}></li>" * (depth - 1) + f"</{tag}>" if depth else ""
    label = contents_label(part, document.language)
    return f'<div class="toc"><p><strong>{escape(label)}</strong></p>\n{html}\n</div>'


def _crumbs(trail: Sequence[str]) -> str:
    return ' <span aria-hidden="true">›</span> '.join(f'<a href="#">{escape(c)}</a>' for c in trail)


def saved_html(document: CorpusDocument, path: Path) -> None:
    """A region's web page as a browser saves it: the site's header with its menu and a
    search form, breadcrumbs, the article (h1, an ingress, h2/h3, lists, tables, an in-page
    contents list), the footer, scripts and a hidden cookie banner."""
    title = escape(document.title)
    page = SAVED_PAGE.format(
        url=document.url, url_length=len(document.url), lang=document.language, title=title,
        title_json=json.dumps(document.title, ensure_ascii=False), site=escape(document.publisher),
        saved=escape(document.date), menu=_links(document.nav), crumbs=_crumbs(document.breadcrumbs),
        article="\n".join(f"      {line}" for line in _article(document, _in_page_toc)),
        footer=_links(document.footer), **SAVED_PAGE_WORDS[document.language])
    path.write_text(page, encoding="utf-8")
