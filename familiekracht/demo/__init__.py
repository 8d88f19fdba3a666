"""Fictitious demo data for `manage.py seed_demo`, in one place at the top layer.

The base demo families are made through the same service functions the views call, so the
demo can never disagree with the rules; the load-test families of `--families N` are
batched (see `bulk.py`) but build their rows with the same rule functions.
"""
