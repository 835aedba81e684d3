"""Generated types of the Text Generation models."""
