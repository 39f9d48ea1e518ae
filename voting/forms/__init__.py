"""Forms of voting."""
