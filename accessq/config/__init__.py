"""The queue language: pydantic models and YAML loading with positions."""
