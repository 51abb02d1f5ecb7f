"""Recommendations: import, classification, browsing and export."""

from crm.recommendations.compiled import use_build

# The busiest modules of the import come from a mypyc build of today's sources when there is one.
use_build(__path__)
