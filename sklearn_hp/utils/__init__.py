"""Helpers shared by the package's modules; nothing here is public."""
