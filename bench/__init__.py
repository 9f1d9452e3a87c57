"""Benchmarks of issue 6 (``python -m bench``); never collected by the test suite."""
