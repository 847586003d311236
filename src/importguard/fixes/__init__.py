"""Fixes for findings whose repair is mechanical (`check --fix`, `--diff`, `--unsafe-fixes`).

Which `Fix` a finding has is its rule's judgement (`importguard.rules.fixes`: plain data, from
facts only, no parsing). Here `edits` applies fixes to a file's libcst tree (comments, quotes and
layout kept), `placement` decides where a new module-level import goes, and `engine` verifies
every fix by re-analysing the fixed sources in memory before anything is written.
"""
