"""Generated types of the Text Classification models."""
