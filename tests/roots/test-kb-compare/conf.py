extensions = ["labkb"]
exclude_patterns = ["_build"]
kb_require_sources = False  # this root tests results; test-kb-sources tests entry sources
