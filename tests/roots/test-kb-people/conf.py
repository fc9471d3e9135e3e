extensions = ["sphinxcontrib.bibtex", "labkb"]
exclude_patterns = ["_build"]
bibtex_bibfiles = ["refs/people.bib"]
bibtex_default_style = "plain"
kb_require_sources = False  # this root tests people, lineage and the graph
