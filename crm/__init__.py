"""The records: states, reviews, recommendations, organisations, contacts, users and teams."""
