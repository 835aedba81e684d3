"""Generated types of the Voice Activity Detection models."""
