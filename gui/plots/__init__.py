"""Plots drawn from data and highlight masks alone, shared by the window's panels and the report's figures."""
