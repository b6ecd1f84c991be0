"""Drills (应急疏散演练): records, the frequency rules, the calendar of what is due."""
