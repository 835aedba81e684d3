"""Generated types of the Image-to-Text models."""
