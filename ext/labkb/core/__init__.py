"""The core: records, loading, validation, problems, bibliography data and configuration.

Nothing here imports Sphinx or docutils, so the command line, the importers and any other tool can
use the knowledge base without a build. Every other layer imports from here; this layer imports
from none of them.
"""
