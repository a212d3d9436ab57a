"""`accessq doctor`: whether the site lets every queue member do their job. Pure: it judges a
`SiteAccess` snapshot and the configuration, and never reads or writes Jira itself."""
