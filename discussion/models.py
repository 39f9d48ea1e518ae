"""Models of discussion (arrive with their issue)."""
