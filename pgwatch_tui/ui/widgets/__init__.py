"""Widgets that panes and screens share: the keyed table, charts, header and footer lines."""
