"""Audio: reading, stitching, loudness and export."""
