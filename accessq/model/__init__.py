"""What accessq knows of the live site, as plain immutable data, and how a queue lives in Jira.

`observed` is the snapshot the reader fills and the plan diffs against (components, groups,
JSM views, the people directory, the runner); `naming` is the pure codec of component
descriptions, group names and JSM view JQL. No HTTP, no terminal.
"""
