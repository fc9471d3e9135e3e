"""Sphinx configuration of the labkb knowledge base (content in docs/, extension in ext/labkb)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).parent.resolve()

# -- Project ---------------------------------------------------------------------------------------
project = "labkb"
author = "OpenMOSS Lab knowledge-base contributors"
copyright = "2026, " + author
language = "en"

# -- General ---------------------------------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "sphinxext.opengraph",
    "labkb",
]
exclude_patterns = ["_build", ".*", "**/.*"]
nitpicky = True
templates_path = ["docs/_templates"]  # accessibility fixes of the theme's templates
root_doc = "index"

# -- MyST (https://myst-parser.readthedocs.io/en/latest/configuration.html) ------------------------
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline", "substitution"]
myst_heading_anchors = 3

# -- sphinxcontrib-bibtex (https://sphinxcontrib-bibtex.readthedocs.io/en/latest/usage.html) -------
bibtex_bibfiles = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "refs").glob("*.bib"))
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# -- labkb (ext/labkb) ----------------------------------------------------------------------------
kb_entry_dirs = {"projects": "project", "models": "model", "sources": "source", "news": "news",
                 "people": "person"}
# The feeds' tag: ids (RFC 4151); never change it once the feeds are published.
kb_tag_authority = "labkb.readthedocs.io,2026-12-01"
kb_site_summary = ("A knowledge base of AI research (research areas, projects, models, people, papers "
                   "and news) built from four source documents: the OpenMoss Lab's home page, a "
                   "researcher's research page, a researcher's paper-aggregator profile and an "
                   "article about MOSS-VL.")
kb_area_dir = "research"
kb_people_dir = "people"

# -- HTML: pydata-sphinx-theme (https://pydata-sphinx-theme.readthedocs.io) ------------------------
html_theme = "pydata_sphinx_theme"
html_title = "OpenMOSS knowledge base"
html_theme_options = {
    "header_links_before_dropdown": 6,
    "navigation_depth": 2,
    "show_nav_level": 1,
    "show_toc_level": 2,
    "navbar_align": "left",
    "secondary_sidebar_items": ["page-toc", "sourcelink"],
    "footer_start": ["copyright"],
    "footer_end": ["theme-version"],
}
# Entry pages do not list their hundreds of siblings: the section index pages have the grids.
html_sidebars = {"projects/*": [], "models/*": [], "news/*": [], "index": []}
html_show_sourcelink = True
# The canonical address: sitemap.xml, Open Graph tags and knowledge.json use it.
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL", "https://labkb.readthedocs.io/en/latest/")

# -- Open Graph (https://sphinxext-opengraph.readthedocs.io) -----------------------------------------
ogp_site_url = html_baseurl
ogp_site_name = html_title
ogp_social_cards = {"enable": False}  # no images generated at build time

# -- Search: Chinese and English ---------------------------------------------------------------------
# Set explicitly: Read the Docs passes -D language=<project language>, which would otherwise decide.
html_search_language = "zh"
# Sphinx would re-load jieba's whole default dictionary as a user dictionary (350,000 words, ~4 s)
# before every write; jieba loads that same dictionary itself. The extension adds the entries' words.
html_search_options = {"dict": ""}
