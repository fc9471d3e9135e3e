"""The ``labkb`` command line, on the core, the outputs and the importers only (never Sphinx)."""

from labkb.cli.commands import main

__all__ = ["main"]
