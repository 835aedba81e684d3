"""Generated pydantic types, one package per task (the 58 model files in schemas/)."""
