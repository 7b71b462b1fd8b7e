"""Scraping: run parameters, the worker process (the only place jobspy is
imported), normalisation of its rows, and the runner that drives workers."""
