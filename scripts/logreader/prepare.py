"""Make a log file readable by the vendor's logreader.py, and say what that took.

logreader.py reads a line by cutting a syslog time of exactly 30 characters off its front,
and stops at the first line whose fields are not the ones it expects (a KeyError ends the
whole run). So that one line it cannot read does not hide every call from the comparison:

- normalise() rewrites the syslog time of each line to the 30-character form (rsyslog's
  microseconds, a `Z` zone), and gives lines that have none (exports that start at the
  node name) one made from the originating time. logreader ignores that time; nothing
  else of the line changes.
- screen() runs the vendor's own summarise() on each line alone and withholds the lines
  it fails on, counted by the exception and the line's Message, so that the report names
  each shape of line logreader could not read.
- python_env() gives logreader an `lxml` made of the standard library's ElementTree when
  lxml is not installed: logreader uses it only to list conference-info XML users.

Standard library only; nothing of logreader.py is copied here, it is loaded from its path.
"""

import collections
import importlib.util
import io
import os
import re
import subprocess
import sys
import tempfile

# A syslog time in front of the line: RFC 3339 with any fraction and zone.
SYSLOG_TIME = re.compile(rb"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d) ")
# A line without one: node, then the originating time.
NODE_THEN_TIME = re.compile(rb"^\S+ (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3}) ")
MESSAGE = re.compile(r'Message="((?:[^"\\]|\\.)*)"')

LXML_SHIM = {
    "__init__.py": "from xml.etree import ElementTree as etree  # noqa: F401\n",
    "etree.py": "from xml.etree.ElementTree import fromstring  # noqa: F401\n",
}


def python_env(python, workdir):
    """Returns the environment to run logreader.py in: PYTHONPATH gets an lxml shim when
    python cannot import lxml. The second value says which was used."""
    env = dict(os.environ)
    probe = subprocess.run([python, "-c", "import lxml.etree"], capture_output=True)
    if probe.returncode == 0:
        return env, "lxml"
    shim = os.path.join(workdir, "shim")
    os.makedirs(os.path.join(shim, "lxml"), exist_ok=True)
    for name, text in LXML_SHIM.items():
        with open(os.path.join(shim, "lxml", name), "w") as f:
            f.write(text)
    env["PYTHONPATH"] = os.pathsep.join(x for x in (shim, env.get("PYTHONPATH")) if x)
    return env, "ElementTree shim (lxml is not installed)"


def _zone(z):
    if z == b"Z":
        return b"+00:00"
    if len(z) == 5:  # +0000
        return z[:3] + b":" + z[3:]
    return z


def normalise_line(raw):
    """Returns the line with a 30-character syslog time, and what was done ("" if
    nothing)."""
    m = SYSLOG_TIME.match(raw)
    if m:
        if m.end() == 30:
            return raw, ""
        frac = (m.group(2) or b"").ljust(3, b"0")[:3]
        return m.group(1) + b"." + frac + _zone(m.group(3)) + b" " + raw[m.end():], "syslog time rewritten to milliseconds"
    m = NODE_THEN_TIME.match(raw)
    if m:
        return m.group(1) + b"T" + m.group(2) + b"." + m.group(3) + b"+00:00 " + raw, "syslog time added (the line had none)"
    return raw, ""


def normalise(src, dst):
    """Copies src to dst, each line normalised; returns a Counter of what was done."""
    done = collections.Counter()
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        for raw in fin:
            out, what = normalise_line(raw)
            if what:
                done[what] += 1
            fout.write(out)
    return done


def load_vendor(path, shim_path):
    """Loads logreader.py as a module, with the lxml shim importable if given."""
    if shim_path and shim_path not in sys.path:
        sys.path.insert(0, shim_path)
    spec = importlib.util.spec_from_file_location("vendor_logreader", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def screen(mod, src, dst):
    """Copies src to dst without the lines that the vendor's summarise() fails on when
    given each line alone, and without lines that are not UTF-8 (logreader reads strict
    UTF-8). Returns (withheld, examples): a Counter by (reason, message) and one line
    number per key."""
    withheld = collections.Counter()
    examples = {}
    state = [getattr(mod, name) for name in ("call_map", "conversation_map") if hasattr(mod, name)]
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        for number, raw in enumerate(fin, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                key = ("not UTF-8", "")
            else:
                for s in state:  # module-level maps that one line may fill
                    s.clear()
                try:
                    mod.summarise([line], io.StringIO())
                    fout.write(raw)
                    continue
                except Exception as e:  # any failure of the vendor's code on this line
                    m = MESSAGE.search(line)
                    key = (f"{type(e).__name__}: {str(e)[:80]}", m.group(1) if m else "")
            withheld[key] += 1
            examples.setdefault(key, number)
    return withheld, examples


def workdir():
    """A fresh temporary directory for one comparison."""
    return tempfile.mkdtemp(prefix="logreader-compare-")
