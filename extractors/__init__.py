"""The document model, the readers and extraction. Importing it first leaves spaCy's command
line out of spaCy's import (`spacy_cli.py`): every module that imports spaCy is in here."""

from smartspec.extractors import spacy_cli

spacy_cli.defer()
