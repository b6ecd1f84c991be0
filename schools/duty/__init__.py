"""Duty roster (值班): the daily duty person and leader on duty, holidays included."""
