"""Generated types of the Summarization models."""
