"""The live side: every HTTP request accessq makes to Jira, and nothing else.

`connection` decides which Jira and as whom; `session` is the one door every request goes
through (rate limit, retries, redaction, one-line errors); `gateway` is each read and write;
`reader` fills a `model.observed.Observed` snapshot and `identity` resolves configured people.
"""
