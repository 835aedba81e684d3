"""Generated types of the Image Classification models."""
