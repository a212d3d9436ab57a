"""Every view of accessq's data for a person or a program: plans as text (rich), pull-request
markdown and JSON; the queue listing as a table, JSON or YAML; the apply report.

Renderers read plan, apply and model data and return strings; they never call Jira. This is the
only package besides `cli` that uses rich.
"""
