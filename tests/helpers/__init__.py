"""Helpers the test modules share (runs of the flow, a headless browser)."""
