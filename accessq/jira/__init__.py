"""The live side: everything accessq knows about a real Jira goes through this package.

Kept import-light: `accessq.jira.mapping` is pure and used by the plan core.
"""
