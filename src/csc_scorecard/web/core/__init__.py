"""The web app's shared frame: layout, home page, accessibility statement, error pages, security middleware."""
