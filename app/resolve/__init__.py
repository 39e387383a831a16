"""Resolution: cited references → arXiv records, cache first, then arXiv in batches."""
