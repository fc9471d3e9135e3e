extensions = ["labkb"]
exclude_patterns = ["_build"]
kb_star_badges = True
