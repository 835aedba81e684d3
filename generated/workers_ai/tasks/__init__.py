"""The task methods of the clients, one module per task (the 58 model files in schemas/)."""
