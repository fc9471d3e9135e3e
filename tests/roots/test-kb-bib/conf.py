extensions = ["sphinxcontrib.bibtex", "labkb"]
exclude_patterns = ["_build"]
bibtex_bibfiles = ["refs/al-folio-example-papers.bib", "refs/al-folio-lab-papers.bib",
                   "refs/lab.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"
kb_require_sources = False  # this root tests other things; test-kb-sources tests sources
