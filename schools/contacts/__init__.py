"""Joint-prevention contacts (联防联控): each school's partner units, gaps."""
