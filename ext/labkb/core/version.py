"""labkb's version, in the core so that every layer can read it without importing upwards."""

__version__ = "0.1.0"
