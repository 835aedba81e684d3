"""Generated types of the Text Embeddings models."""
