"""The run's theme tagging: the tags of every published priority, behind the theme cache.

Tags depend on a priority's language and text, the extractor and the taxonomy only, so they
are cached by those (`smartspec.running.cache.ThemeCache`): a run whose priorities were all tagged
before builds no spaCy pipeline, and editing a pattern file tags them again without reading
any document.
"""

from __future__ import annotations

import dataclasses
import logging

import pandas as pd

from smartspec.extractors.settings import Settings
from smartspec.extractors.tagging import ThemeTag, assign_themes, build_theme_matchers
from smartspec.extractors.themes import Taxonomy
from smartspec.running.cache import ThemeCache, theme_cache_key
from smartspec.running.steps import code_version, shared_toolkit
from smartspec.publishing.themes import TagsByText, ThemeTables, themes_frame, validate_themes
from smartspec.schemas.priorities import PRIORITY_KEY, PrioritySchema

logger = logging.getLogger(__name__)


def tag_themes(priorities: pd.DataFrame, settings: Settings, taxonomy: Taxonomy) -> ThemeTables:
    """The validated theme tags of `priorities` (ValidationFailed if they do not validate)."""
    themes = validate_themes(themes_frame(priorities, theme_tags(priorities, settings, taxonomy)), priorities,
                             taxonomy)
    tagged = themes[list(PRIORITY_KEY)].drop_duplicates()
    logger.info("themes: %d tags; %d of %d priorities untagged", len(themes), len(priorities) - len(tagged),
                len(priorities))
    return ThemeTables(themes, taxonomy)


def theme_tags(priorities: pd.DataFrame, settings: Settings, taxonomy: Taxonomy) -> TagsByText:
    """The tags of each (language, priority) of `priorities` in a language the taxonomy has patterns for."""
    cache = ThemeCache(settings.cache_dir, theme_cache_key(code_version(), taxonomy.sha256))
    entries = cache.load()
    texts = sorted({(language, text) for language, text in zip(priorities[PrioritySchema.language],
                                                                priorities[PrioritySchema.priority], strict=True)
                    if language in taxonomy.patterns})
    tags: dict[tuple[str, str], tuple[ThemeTag, ...]] = {}
    missing = []
    for pair in texts:
        cached = _cached(entries.get(_key(pair)))
        if cached is None:
            missing.append(pair)
        else:
            tags[pair] = cached
    if missing:
        toolkit = shared_toolkit()
        needed = {language for language, _ in missing}  # no pipeline for a language with nothing to tag
        matchers = build_theme_matchers({lang: toolkit.pipeline(lang) for lang in toolkit.languages if lang in needed},
                                        taxonomy)
        for language, text in missing:
            found = assign_themes(text, language, matchers)
            tags[(language, text)] = found
            entries[_key((language, text))] = [dataclasses.asdict(tag) for tag in found]
        cache.store(entries)
        logger.info("tagged %d priority texts; %d from the theme cache", len(missing), len(texts) - len(missing))
    return tags


def _key(pair: tuple[str, str]) -> str:
    return f"{pair[0]}\t{pair[1]}"


def _cached(entry: object) -> tuple[ThemeTag, ...] | None:
    """The tags of a cache entry, or None when it is missing or not of this shape."""
    if not isinstance(entry, list):
        return None
    try:
        return tuple(ThemeTag(**item) for item in entry)
    except TypeError:
        return None
