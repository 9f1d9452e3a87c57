"""The ``council`` command-line face: one module per command group."""
