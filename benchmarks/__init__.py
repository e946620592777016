"""Refuge's benchmarks: `make bench` (or `python -m benchmarks`) runs them; docs/performance.md has the figures."""
