"""The pure core: diff, safety rules, the plan model and its renderers. No HTTP here."""
