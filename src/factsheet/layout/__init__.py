"""Page geometry, placement of blocks into frames, and fit checks."""
