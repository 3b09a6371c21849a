"""Kenesh: a legal-risk advisory assistant for Central Asian labour migrants in Russia."""

__version__ = "0.1.0"
