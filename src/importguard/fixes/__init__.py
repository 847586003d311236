"""Fixes for findings whose repair is mechanical (`check --fix`, `--diff`, `--unsafe-fixes`).

`plan` turns a finding into a `Fix` (plain data, from facts only: no parsing), `edits` applies
fixes to a file's libcst tree (comments, quotes and layout kept), `placement` decides where a
new module-level import goes, and `engine` verifies every fix by re-analysing the fixed sources
in memory before anything is written.
"""
