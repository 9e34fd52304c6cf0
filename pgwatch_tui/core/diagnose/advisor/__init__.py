"""Index advice: candidates from plans and statistics, validated with HypoPG when present."""
