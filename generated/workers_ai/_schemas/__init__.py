"""Catalog schemas of each model, loaded on first use."""
