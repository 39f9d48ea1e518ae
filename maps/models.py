"""Models of maps (arrive with their issue)."""
