extensions = ["labkb"]
exclude_patterns = ["_build"]
