"""Measuring extraction against hand-made truth files (the format of ../shared/corpus/ris3/truth/).

Sits above `extractors` (it reads documents and extracts them) and beside `publishing`; it
never imports `flows` or Prefect.
"""
