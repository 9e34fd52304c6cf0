"""The headless core, grouped by job: collect, model, diagnose, act, record.

Never imports textual or plotext (an import contract enforces it)."""
