"""The ``kb_*`` configuration values in Sphinx: registered from the core's table and validated at
``config-inited`` by the core's rules (the command line applies the same ones).

A bad value would otherwise surface deep in the build as a ``KeyError`` or ``TypeError``
traceback. Sphinx prints a traceback for any exception, ``ConfigError`` included, so a bad value
is a located warning (``conf.py:line: ... [kb.config]``) and the option falls back to its
default: ``-W`` (as in ``make html`` and CI) still fails the build, with a clear message.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from labkb.core.config import OPTIONS, KbConfig, conf_py_values

logger = logging.getLogger(__name__)


def add_options(app: Sphinx) -> None:
    for name, (default, rebuild, kind, description) in OPTIONS.items():
        app.add_config_value(name, default, rebuild, types=frozenset({kind}),
                             description=description)


def check_config(app: Sphinx, config: Config) -> None:
    """``config-inited``: warn about each bad ``kb_*`` value and use its default instead."""
    locations = conf_py_values(Path(app.confdir, "conf.py"))[1] if app.confdir else {}
    if isinstance(config.kb_min_sourced, int) and not isinstance(config.kb_min_sourced, bool):
        config.kb_min_sourced = float(config.kb_min_sourced)  # 1 means 1.0
    _, problems = KbConfig.from_values({name: config[name] for name in OPTIONS}, locations)
    for problem in problems:
        default = OPTIONS[problem.name][0]
        logger.warning("%s = %r: %s; using the default %r", problem.name, problem.value,
                       problem.message, default,
                       location=None if problem.name in config.overrides else problem.location,
                       type="kb", subtype="config")
        setattr(config, problem.name, type(default)(default) if not isinstance(default, dict)
                else dict(default))

