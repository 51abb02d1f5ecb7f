"""Recommendations: import, classification, browsing and export."""
