"""Responsibility letters (安全责任书): issued and signed level by level each year, gaps."""
