"""The one exception hierarchy importguard raises for user-facing failures (exit code 2)."""


class ImportguardError(Exception):
    """A usage, configuration or internal problem that stops the run with exit code 2."""


class ConfigError(ImportguardError):
    """A configuration file or option holds an unknown key or a bad value."""
