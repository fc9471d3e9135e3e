"""The Sphinx adapters: one module per Sphinx concept (domain, source parser, directives, roles,
placeholder filling, incremental-build hooks), each on the core and the outputs.

:func:`labkb.sphinxext.setup.setup_extension` wires them into an application.
"""
