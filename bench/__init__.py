"""Benchmarks: `make bench`. They print figures and assert nothing."""
