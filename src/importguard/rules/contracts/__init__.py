"""Architecture contracts (IG4xx), one module per contract type: `layers` (IG401), `forbidden`
(IG402), `independence` (IG403), `acyclic` (IG404, import-linter's `acyclic_siblings`), and
`configuration` for contracts that cannot be checked as written (IG405, IG406). `common` and
`routes` hold what they share.

The rules are on by default and find nothing until a contract is declared in
`[[tool.importguard.contracts]]` (see `importguard.contracts.config`): declaring one is what
turns them on, and `--select`/`--ignore` treat them as any other rule.
"""

from importguard.rules.contracts import acyclic, configuration, forbidden, independence, layers

RULES = [*layers.RULES, *forbidden.RULES, *independence.RULES, *acyclic.RULES, *configuration.RULES]
