"""The committee-pack pages: build a meeting's pack in the background and download it."""
