extensions = ["sphinxcontrib.bibtex", "labkb"]
exclude_patterns = ["_build"]
bibtex_bibfiles = ["refs/snap.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"
kb_star_badges = True
