"""Benchmarks that print figures (not tests). Run from the repository root, e.g.
`.venv/bin/python -m bench.fanout`."""
