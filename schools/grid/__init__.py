"""The campus grid (网格划分与责任人): cells, the staff who own them over time, coverage."""
