"""Benchmarks: `make bench` runs bench/run.py; bench/seed_scale.py fills the database."""
