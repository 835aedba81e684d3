"""Generated types of the Text-to-Image models."""
