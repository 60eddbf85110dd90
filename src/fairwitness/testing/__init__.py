"""Small hand-written contract data sets shared by tests and docs examples."""
