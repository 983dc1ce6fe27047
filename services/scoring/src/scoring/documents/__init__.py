"""Reading figures out of the documents applicants upload."""
