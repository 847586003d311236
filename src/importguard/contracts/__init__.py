"""Architecture contracts (`[[tool.importguard.contracts]]`): how a project may depend on itself.

`config` reads and validates the tables, with import-linter's contract types and option names so
that migrating is a copy of the table; the checks are the IG4xx rules in `importguard.rules.contracts`.
This package sits at the bottom of the layers, beside `facts`: it knows only the standard library
and `importguard.errors`.
"""
