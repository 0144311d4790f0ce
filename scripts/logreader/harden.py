#!/usr/bin/env python3
"""Make a Pexip support log harder to group into calls, for compare.sh to run on.

    harden.py [--seed N] [--split-ids P] [--sbc ADDR] IN > OUT

- Every support.sip message logged on one line whose Detail is longer than --min-len is
  cut into fragments (Fragment-id, Fragment-number, Fragment-total, one line each, as
  Pexip logs long messages), at random offsets; in a share P of them one cut falls at a
  random offset inside the Call-ID (or compact i:) header, so that no fragment holds the
  whole id. A cut never falls inside a \\" escape.
- With --sbc, every address that is not a node's (the system column and the *-Node
  fields) in Src-address, Dst-address and Remote-address becomes ADDR, as when every call
  comes through one SBC.

The simulator (calltail --generate) is the place for such cases in tests; this is for
seeing, by hand, what the two tools make of them. Standard library only.
"""

import argparse
import random
import re
import sys

DETAIL = re.compile(rb' Detail="((?:[^"\\]|\\.)*)"')
CALLID = re.compile(rb"(?:^|\^M)((?:Call-ID|i)[ \t]*:[^\^]*)", re.I)
ADDR_FIELD = re.compile(rb'\b(Src-address|Dst-address|Remote-address)="([^"]*)"', re.I)
NODE_FIELD = re.compile(rb'\b[A-Za-z]+-Node="([^"]*)"', re.I)


def nodes(path):
    """The node addresses of a log: its system column and its *-Node fields."""
    out = set()
    with open(path, "rb") as f:
        for raw in f:
            parts = raw.split(b" ", 2)
            if len(parts) > 1:
                out.add(parts[1])
            out.update(m.group(1) for m in NODE_FIELD.finditer(raw))
    return out


def cuts(detail, rng, split_ids, max_piece):
    """Offsets at which to cut detail, in order, none inside a \\" escape."""
    out = set()
    pos = 0
    while True:
        pos += rng.randint(max_piece // 4, max_piece)
        if pos >= len(detail):
            break
        out.add(pos)
    m = CALLID.search(detail)
    if m and rng.random() < split_ids:
        # Somewhere inside the header, from just after its first letter to just before
        # its end, so that no fragment holds both its name and its whole value.
        out.add(rng.randint(m.start(1) + 1, m.end(1) - 1))
    return sorted(c for c in out if 0 < c < len(detail) and detail[c - 1:c] != b"\\")


def fragment(raw, rng, args):
    """The lines to write for one line."""
    if b'Name="support.sip"' not in raw or b"Fragment-id=" in raw:
        return [raw]
    m = DETAIL.search(raw)
    if not m or len(m.group(1)) < args.min_len:
        return [raw]
    detail = m.group(1)
    at = cuts(detail, rng, args.split_ids, args.max_piece)
    if not at:
        return [raw]
    pieces = [detail[a:b] for a, b in zip([0] + at, at + [len(detail)])]
    fid = b"%016x" % rng.getrandbits(64)
    head, tail = raw[: m.start()], raw[m.end():]
    return [head + b' Fragment-id="%s" Fragment-number="%d" Fragment-total="%d" Detail="%s"' % (fid, i, len(pieces), p)
            + tail for i, p in enumerate(pieces)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--split-ids", type=float, default=0.5, help="share of cut messages whose Call-ID is cut")
    ap.add_argument("--min-len", type=int, default=300, help="cut messages longer than this")
    ap.add_argument("--max-piece", type=int, default=900, help="longest fragment")
    ap.add_argument("--sbc", help="the one address all remote signalling comes from")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    node_addrs = nodes(args.file) if args.sbc else set()
    sbc = args.sbc.encode() if args.sbc else b""

    def to_sbc(m):
        if m.group(2) in node_addrs or not m.group(2):
            return m.group(0)
        return m.group(1) + b'="' + sbc + b'"'

    out = sys.stdout.buffer
    with open(args.file, "rb") as f:
        for raw in f:
            if sbc:
                raw = ADDR_FIELD.sub(to_sbc, raw)
            for line in fragment(raw, rng, args):
                out.write(line)


if __name__ == "__main__":
    main()
