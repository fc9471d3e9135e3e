extensions = ["labkb"]
exclude_patterns = ["_build"]
kb_star_badges = True
kb_require_sources = False  # this root tests other things; test-kb-sources tests sources
