"""Refuge keeps a network of hidden emergency shelters stocked, defended and findable."""

__version__ = "0.1.0"
