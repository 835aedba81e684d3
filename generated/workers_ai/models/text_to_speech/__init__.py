"""Generated types of the Text-to-Speech models."""
