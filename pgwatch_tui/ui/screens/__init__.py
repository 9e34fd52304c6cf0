"""Screens: the main tabbed dashboard, detail screens, help and the capability report."""
