"""Pages of voting."""
