"""Generated types of the Translation models."""
