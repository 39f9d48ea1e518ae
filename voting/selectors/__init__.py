"""Reads of voting."""
