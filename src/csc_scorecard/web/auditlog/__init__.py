"""The audit log pages (admin only)."""
