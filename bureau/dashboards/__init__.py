"""Dashboards (SPEC §5): a unit's figures, charts and tables, each number drilling down to its hazards."""
