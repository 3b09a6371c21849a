"""Update handlers, one module per kind of update; app.py registers them."""
