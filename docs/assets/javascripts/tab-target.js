// Placeholder: replaced by the search-hit-in-tab fix (issue 5).
