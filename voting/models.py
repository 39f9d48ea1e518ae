"""Models of voting (arrive with their issue)."""
