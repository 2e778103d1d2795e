"""Inventory: warehouses, stock per warehouse and product, the movement journal, the stock API."""
