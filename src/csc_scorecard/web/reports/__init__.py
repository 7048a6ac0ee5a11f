"""Reports pages: generate in the background, list, download."""
