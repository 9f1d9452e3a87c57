"""The benchmarks (``python -m bench``), each a ratio against a baseline measured in the same
run; never collected by the test suite."""
