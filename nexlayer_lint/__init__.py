"""nexlayer-lint: an offline linter for Nexlayer deployment files (nexlayer.yaml)."""

__version__ = "0.1.0"
