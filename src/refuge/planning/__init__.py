"""Planning: the inventory-routing model, its solver and checker, and the readers for public benchmark instances."""
