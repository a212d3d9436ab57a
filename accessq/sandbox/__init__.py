"""A Jira-compatible HTTP server over SQLite, for tests and first steps. Imports nothing else of accessq."""
