"""Generated types of the Automatic Speech Recognition models."""
