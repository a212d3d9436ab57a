"""The reliability suite: bad input, generated input, faults, killed applies and secret leaks."""
