"""Implementation tracking: dated traffic-light assessments with evidence, mid-term exports and charts."""
