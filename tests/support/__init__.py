"""Helpers shared by the test suite (fault-injection HTTP server)."""
