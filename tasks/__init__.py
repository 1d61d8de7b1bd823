"""Thin Prefect task wrappers around narrator's domain calls."""
