"""Rollups: per unit and month figures of hazards, reports and flags, kept up to date by jobs."""
