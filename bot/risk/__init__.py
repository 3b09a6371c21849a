"""The personal risk check: rules (knowledge/risk_rules.yaml), the engine, the card, the checks."""
