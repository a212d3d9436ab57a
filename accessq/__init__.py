"""accessq: ACCESS ticket-routing queues in Jira Service Management, kept as code."""

__version__ = "0.1.0"
