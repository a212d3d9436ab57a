"""The pure core: the diff from configuration and observed state to a plan, the plan's data model,
its fingerprint, the safety rules, the simulation apply is checked against, and the saved-plan
format. No HTTP, no terminal: `plan` imports neither `accessq.jira`, `requests` nor `rich`.
"""
