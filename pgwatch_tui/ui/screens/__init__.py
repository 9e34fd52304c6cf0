"""Screens pushed over the dashboard: details, plans, advice, actions, help, capabilities."""
