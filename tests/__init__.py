"""The test suite, a package so that `from tests.x import y` works under a plain `pytest`."""
