"""Oversight of the district (review, rollups, dashboards, flags, assessment) and the app assembly."""
