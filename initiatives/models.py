"""Models of initiatives (arrive with their issue)."""
