"""The framework floor: a Django project whose one view inserts one row (bench/intake.py)."""
