"""Renderers that explain a related pair to a person (terminal now; others may follow)."""
