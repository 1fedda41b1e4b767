"""Caseboard."""
