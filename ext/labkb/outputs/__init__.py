"""Outputs: files written from the core's data (charts, CITATION.cff, Hugging Face cards, exports).

No Sphinx import: the Sphinx adapters and the command line both call these.
"""
