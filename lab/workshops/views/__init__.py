"""The workshop pages; thin: they validate, call one service, and render."""
