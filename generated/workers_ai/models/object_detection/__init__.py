"""Generated types of the Object Detection models."""
