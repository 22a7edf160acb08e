"""PCN Desktop: form, validate, fund and print England's Primary Care Networks, offline."""
__version__ = "0.1.0"
