"""Pandera models: the contract of the published tables, one module a table (`priorities.py`,
`sources.py`, ...); the words their columns hold (`vocabulary.py`); every table by name and its
schema as JSON (`catalogue.py`). Imports nothing from the project, and nothing here on import.
"""
