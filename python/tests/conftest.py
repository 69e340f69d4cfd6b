import os
import sys

# The tests import flowref.py from this directory.
sys.path.insert(0, os.path.dirname(__file__))
