"""The escalation queue: hazards escalated to a central school or the bureau, and what it does with them."""
