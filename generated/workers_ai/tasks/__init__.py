"""Generated task modules: types and task descriptors (the 58 model files in schemas/)."""
