"""Problems reported through Sphinx's logging: one located, typed warning each."""

from __future__ import annotations

from sphinx.util import logging

from labkb.core.problems import Problem

logger = logging.getLogger(__name__)


def warn(problem: Problem) -> None:
    """Log a problem through Sphinx: ``file:line: WARNING: field: message [kb.subtype]``."""
    text = f"{problem.field}: {problem.message}" if problem.field else problem.message
    logger.warning(text, location=problem.location, type="kb", subtype=problem.subtype)
