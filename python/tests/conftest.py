import os
import sys

# The tests never read or write the user's compile cache; the cache's own
# tests point FLOW_CACHE_DIR at temporary directories.
os.environ["FLOW_CACHE_DIR"] = "off"

# The tests import flowref.py from this directory.
sys.path.insert(0, os.path.dirname(__file__))
