"""Benchmarks, pure Python and deterministic: `make bench` runs each module and prints one line per figure."""
