"""The runtime failures a finding predicts, by kind: what a rule record names as its trace cause
(`Cause`) and what `importguard trace` recognises in log lines (`importguard.trace.failures`)."""

from __future__ import annotations

NAME = "name"  # NameError: a name no scope binds
UNBOUND_LOCAL = "unbound-local"  # UnboundLocalError
FREE_VARIABLE = "free-variable"  # NameError: a closure reads an enclosing local not bound yet
PARTIAL_IMPORT = "partial-import"  # ImportError from a partially initialised module
PARTIAL_ATTRIBUTE = "partial-attribute"  # AttributeError on a partially initialised module
MODULE_ATTRIBUTE = "module-attribute"  # AttributeError: module 'm' has no attribute 'X' (3.13 words some partial ones so)
MISSING_NAME = "missing-name"  # ImportError: cannot import name 'X' from 'm'
NO_MODULE = "no-module"  # ModuleNotFoundError

KINDS = (NAME, UNBOUND_LOCAL, FREE_VARIABLE, PARTIAL_IMPORT, PARTIAL_ATTRIBUTE, MODULE_ATTRIBUTE, MISSING_NAME, NO_MODULE)
