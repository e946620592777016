"""The season simulation: supply and demand day by day under a resupply policy."""
