"""Models of lab (arrive with their issue)."""
