"""One check of one project: discovery, settings resolved once, the facts cache, the run memo,
workers and executors, filtering, and the outcome policy (baseline, exit code)."""
