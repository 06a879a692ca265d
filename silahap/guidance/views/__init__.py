"""Guidance's pages."""
