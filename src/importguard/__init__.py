"""importguard: a static import-graph and name-binding linter for Python."""

__version__ = "0.3.0"
