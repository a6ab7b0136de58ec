"""Errors that mean the tool itself cannot run (exit 2). Bad input files are findings."""

from __future__ import annotations


class ProcgateError(Exception):
    """The tool cannot run: bad option, bad config, a policy that does not compile."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def diagnostics(self) -> str:
        return f"{self.message}\nhint: {self.hint}" if self.hint else self.message


class ConfigError(ProcgateError):
    """procgate.yaml / [tool.procgate] is wrong."""


class DataError(ProcgateError):
    """A ban list or waiver file that the run depends on is unusable."""


class PolicyError(ProcgateError):
    """A policy does not compile or its engine failed."""


class BundleError(ProcgateError):
    """A bundle that cannot be written, or is refused on reading: unsafe, broken, unsigned or
    wrongly signed (exit 2)."""
