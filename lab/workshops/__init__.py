"""Co-design workshops: residents and staff build a customer journey (klantreis) together, live (decision 28)."""
