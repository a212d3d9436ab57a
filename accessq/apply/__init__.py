"""Carrying out a plan: the engine that runs its changes in phase order with bounded concurrency
and dependencies, the journal that records each step, and the result summary.

It writes through a narrow interface (`engine.Writer`), so it knows nothing of HTTP.
"""
