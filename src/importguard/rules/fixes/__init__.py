"""Fix planning, a rule's judgement: which edit repairs a finding, decided from facts alone (no
parsing). `model` is the plain data of a fix, `context` what every planner shares (the project,
the placement group of a module, the import-time cycle a new import would close), `names` and
`handlers` the planners rule records point to, and `planning` the entry point that gives each
finding its fix. `importguard.fixes` applies and verifies the edits.
"""
