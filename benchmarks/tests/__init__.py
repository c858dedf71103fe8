"""Tests of the benchmark scripts' own code (tables, meters), run by ./test.sh with tests/."""
