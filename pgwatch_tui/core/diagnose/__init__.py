"""Diagnosing: plans, index advice, bloat, index health and what the server lets pgwatch see."""
