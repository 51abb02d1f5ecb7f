"""States and their reviews: the pages, finding a review by its code, editing its dates, the panel."""
