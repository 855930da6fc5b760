"""The report's HTML: `page.template.html` filled in with Jinja2, labels from `page.labels.json`.

Every label is rendered in the default language and carries its key (`data-i18n`) and values
(`data-i18n-args`), so the page's script can switch the interface to the other language; the
data stays verbatim in both. The script does the same plural choice as `label()` here.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

import jinja2
from markupsafe import Markup, escape

from smartspec.reporting.content import MEASURE_PRIORITIES, ReportContent
from smartspec.reporting.maps import CountryMap

LABELS_FILE = "page.labels.json"
TEMPLATE_FILE = "page.template.html"
LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
# Colour classes of the map: c1 .. c{COLOUR_CLASSES}, the last for that many or more.
COLOUR_CLASSES = 6
# Level-1 priorities a region's tooltip lists before "... and N more".
TOOLTIP_ITEMS = 6
_PLURAL_FORMS = ("zero", "one", "other")


class LabelError(ValueError):
    """`page.labels.json` is not what the page needs."""


@functools.cache
def load_labels() -> dict[str, dict[str, Any]]:
    """The bundled labels, checked: each key has every language, as text or plural forms."""
    return parse_labels(files("smartspec.reporting").joinpath(LABELS_FILE).read_text(encoding="utf-8"))


def parse_labels(text: str) -> dict[str, dict[str, Any]]:
    labels = json.loads(text)
    if not isinstance(labels, dict) or not labels:
        raise LabelError(f"{LABELS_FILE}: not an object of labels")
    for key, by_language in labels.items():
        if not isinstance(by_language, dict) or set(by_language) != set(LANGUAGES):
            raise LabelError(f"{LABELS_FILE}: {key!r} must give exactly {', '.join(LANGUAGES)}")
        for language, value in by_language.items():
            plural = isinstance(value, dict) and set(value) == set(_PLURAL_FORMS)
            if not (isinstance(value, str) and value) and not plural:
                raise LabelError(f"{LABELS_FILE}: {key!r} in {language!r} is neither text nor {_PLURAL_FORMS}")
    return labels


def label(key: str, language: str = DEFAULT_LANGUAGE, **values: Any) -> str:
    """The label `key` in `language`, its {placeholders} filled; a plural label picks its form
    by `n` (0: zero, 1: one, else other)."""
    text = load_labels()[key][language]
    if isinstance(text, dict):
        n = values.get("n", 0)
        text = text["zero" if n == 0 else "one" if n == 1 else "other"]
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def has_label(key: str) -> bool:
    return key in load_labels()


def _args(values: Mapping[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":")) if values else ""


def tr(key: str, tag: str = "span", **values: Any) -> Markup:
    """`<tag data-i18n=key ...>label</tag>`: a label the script can switch."""
    args = _args(values)
    attrs = f' data-i18n-args="{escape(args)}"' if args else ""
    return Markup(f'<{tag} data-i18n="{escape(key)}"{attrs}>{escape(label(key, **values))}</{tag}>')


def aria(key: str, **values: Any) -> Markup:
    """`aria-label` attributes with a label the script can switch."""
    args = _args(values)
    attrs = f' data-i18n-args="{escape(args)}"' if args else ""
    return Markup(f'aria-label="{escape(label(key, **values))}" data-i18n-aria="{escape(key)}"{attrs}')


def colour_class(count: int) -> str:
    return f"c{min(count, COLOUR_CLASSES)}" if count > 0 else "nodata"


def _script_json(data: Any) -> Markup:
    """JSON safe inside <script type="application/json">: no "<" to close the element early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c"))


def page_data(content: ReportContent) -> dict[str, Any]:
    """What the page's script needs beyond the HTML: the measures and each region's tooltip."""
    return {
        "defaultLanguage": DEFAULT_LANGUAGE,
        "colourClasses": COLOUR_CLASSES,
        "tooltipItems": TOOLTIP_ITEMS,
        "measures": {m.key: {"label": m.label, "counts": dict(m.counts)} for m in content.measures},
        "regions": {
            r.code: {"name": r.name, "count": r.count,
                     "priorities": [item.priority for item in r.current if item.level == 1]}
            for r in content.regions
        },
    }


@functools.cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.globals.update(tr=tr, aria=aria, label=label, has_label=has_label, colour_class=colour_class)
    return environment.from_string(files("smartspec.reporting").joinpath(TEMPLATE_FILE).read_text(encoding="utf-8"))


def render_page(content: ReportContent, maps: tuple[CountryMap, ...], unmapped: tuple, *,
                stylesheet: str, script: str) -> str:
    """index.html of the report."""
    measures = [m for m in content.measures if m.key != MEASURE_PRIORITIES]
    dimensions: dict[str, list] = {}
    for measure in measures:
        dimensions.setdefault(measure.dimension or "", []).append(measure)
    return _template().render(
        c=content, maps=maps, unmapped=unmapped, theme_dimensions=dimensions,
        language=DEFAULT_LANGUAGE, languages=LANGUAGES, colour_classes=COLOUR_CLASSES,
        labels_json=_script_json(load_labels()), data_json=_script_json(page_data(content)),
        stylesheet=stylesheet, script=script,
        regions_with_priorities=sum(1 for r in content.regions if r.count),
    )
