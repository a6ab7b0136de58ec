"""procgate: a policy-as-code procurement gate for vendor bans."""

__version__ = "0.1.0"
