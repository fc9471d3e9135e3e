"""Importers: files researchers already have (Hugging Face cards, ...) turned into entries.

They read saved files only (nothing is fetched) and sit on the core, beside the command line.
"""
