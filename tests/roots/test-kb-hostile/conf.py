# The hostile-input root: test-kb plus .bib files, with the real site's MyST and bibtex settings
# (conf.py at the repository root), so descriptions are parsed as they are on the site.
extensions = ["myst_parser", "sphinx_design", "sphinxcontrib.bibtex", "labkb"]
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline", "substitution"]
myst_heading_anchors = 3
bibtex_bibfiles = ["refs/lab.bib", "refs/more.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"
kb_star_badges = True
html_search_language = "zh"
kb_require_sources = False  # this root tests other things; test-kb-sources tests sources
