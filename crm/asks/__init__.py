"""Asks: the recommendations an organisation proposes to governments before a review, and who took them up."""
