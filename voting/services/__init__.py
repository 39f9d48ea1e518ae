"""Services of voting: the only place that changes its state."""
