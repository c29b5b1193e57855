"""Runs all of Lotsen locally (`python -m launcher`, what `make run` calls): the top of the house.

`stack` starts the three servers on chosen ports with one environment built from the settings; `__main__`
prepares the catalog, catalogs and model, then keeps the three up — a crashed server is restarted with
back-off while the others keep serving — and stops all of them on Ctrl-C or SIGTERM.
"""
