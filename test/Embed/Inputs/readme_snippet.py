"""Checks that README.md shows examples/embed/my-opt.cpp as it is: the file
without its banner comment is one of the README's ```cpp blocks."""
import re
import sys

readme, source = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
# The code after the banner: from the first #include on.
code = source[source.index("#include"):].strip()
blocks = [b.strip() for b in re.findall(r"```cpp\n(.*?)```", readme, re.S)]
if code not in blocks:
    sys.exit(f"{sys.argv[1]} shows no ```cpp block equal to {sys.argv[2]} "
             "(below its banner); update one or the other")
