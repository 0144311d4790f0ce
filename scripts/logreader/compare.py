#!/usr/bin/env python3
"""Compare calltail's calls with the vendor's logreader.py digests of the same log file.

    compare.py --calltail BIN --logreader PATH/logreader.py [--sample N] FILE

Runs `BIN --calls --json FILE` and logreader.py on FILE (made readable for it, see
prepare.py), reads logreader's output into per-call digests (digest.py), matches calls by
Call-ID (logreader's key against calltail's call_ids, then uuids and participant_ids) and
prints: calls found by both, by calltail only and by logreader only (with why, where the
file tells); for the calls found by both, each field's agreement (checks.py) with a few
examples of each disagreement; for N of them, calltail's SIP ladder (--call ID --json)
against logreader's SIP messages; and what logreader shows of those calls that calltail's
--calls --json has no field for. Standard library only. Exit status 0 when both tools ran,
whatever they found; 2 on bad usage, 3 when a tool failed.
"""

import argparse
import collections
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
import checks  # noqa: E402
import digest  # noqa: E402
import prepare  # noqa: E402

# Where calltail's JSON reports hold each kind of message: --calls --json (a field of
# the call) or --call ID --json (the SIP ladder).
IN_CALLTAIL = {"media-stream-destroyed": "--calls", "quality": "--calls", "mode": "--calls", "ice": "--calls",
               "lost-video": "--calls", "sip": "--call", "sip-summary": "--call"}


def run(cmd, env=None):
    t = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, env=env)
    return p, time.monotonic() - t


def invites(path):
    """The Call-IDs of the INVITEs logged in path, fragments reassembled: id -> the header
    form that carried it ("Call-ID" or the compact "i")."""
    detail = re.compile(rb'Detail="((?:[^"\\]|\\.)*)')
    frag = re.compile(rb'Fragment-id="([^"]*)".*?Fragment-number="(\d+)"')
    header = re.compile(r"(?:^|\^M)(Call-ID|i)[ \t]*:[ \t]*([^\^]+)", re.I)
    whole, parts = [], collections.defaultdict(dict)
    with open(path, "rb") as f:
        for raw in f:
            if b"support.sip" not in raw:
                continue
            d = detail.search(raw)
            if not d:
                continue
            fr = frag.search(raw)
            if fr:
                parts[fr.group(1)][int(fr.group(2))] = d.group(1)
            else:
                whole.append(d.group(1))
    whole += [b"".join(p[k] for k in sorted(p)) for p in parts.values()]
    out = {}
    for w in whole:
        if not w.startswith(b"INVITE "):
            continue
        h = header.search(w.decode("utf-8", "replace").replace('\\"', '"'))
        if h:
            out.setdefault(h.group(2).strip(), "i" if h.group(1).lower() == "i" else "Call-ID")
    return out


def match(digests, ct_calls):
    """Returns {digest index: [calltail numbers]} and the key that matched each."""
    index = collections.defaultdict(list)
    for kind in ("call_ids", "uuids", "participant_ids"):
        for c in ct_calls:
            for i in c.get(kind) or []:
                if c["number"] not in [n for n, _ in index[i]]:
                    index[i].append((c["number"], kind))
    out, how = {}, collections.Counter()
    for n, d in enumerate(digests):
        cands = index.get(d.callid, [])
        if cands:
            out[n] = [num for num, _ in cands]
            how[cands[0][1]] += 1
    return out, how


def clock(ms):
    """An epoch in milliseconds as logreader prints times."""
    t = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%d %H:%M:%S,") + f"{ms % 1000:03d}"


def section(title):
    print(f"\n{title}")


def show_counter(counter, indent="  ", limit=12):
    for k, v in counter.most_common(limit):
        print(f"{indent}{v:7d}  {k}")
    if len(counter) > limit:
        print(f"{indent}    ...  {len(counter) - limit} more kinds, {sum(v for _, v in counter.most_common()[limit:])} in all")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--calltail", required=True, help="the calltail binary")
    ap.add_argument("--logreader", required=True, help="the path of pexip-log-tools' logreader.py")
    ap.add_argument("--python", default=sys.executable, help="the python to run logreader.py with")
    ap.add_argument("--sample", type=int, default=20, help="calls whose SIP ladders to compare (--call ID --json)")
    ap.add_argument("--examples", type=int, default=3, help="examples shown per disagreement")
    ap.add_argument("--json-out", help="also write the numbers as JSON to this file")
    ap.add_argument("--keep", help="keep logreader's input and output in this directory")
    a = ap.parse_args()
    if not os.path.isfile(a.logreader):
        sys.exit(f"compare.py: no logreader.py at {a.logreader}")
    if not os.path.isfile(a.file):
        sys.exit(f"compare.py: no file {a.file}")
    wd = a.keep or prepare.workdir()
    os.makedirs(wd, exist_ok=True)
    numbers = {"file": a.file}
    with open(a.file, "rb") as f:
        nlines = sum(1 for _ in f)
    print(f"file: {a.file} ({os.path.getsize(a.file) // 1024} KiB, {nlines} lines)")

    p, secs = run([a.calltail, "--calls", "--json", a.file])
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode(errors="replace"))
        print(f"calltail --calls --json failed with status {p.returncode}")
        return 3
    ct_calls = [json.loads(x) for x in p.stdout.splitlines() if x.strip()]
    by_number = {c["number"]: c for c in ct_calls}
    print(f"calltail --calls --json: {len(ct_calls)} calls in {secs:.1f} s")
    numbers.update(calltail_calls=len(ct_calls), calltail_seconds=round(secs, 2))

    env, lxml = prepare.python_env(a.python, wd)
    shim = env.get("PYTHONPATH", "").split(os.pathsep)[0] if lxml.startswith("ElementTree") else None
    lr_input = os.path.join(wd, "input.log")
    normalised = prepare.normalise(a.file, lr_input)
    p, secs = run([a.python, a.logreader, lr_input], env)
    withheld = collections.Counter()
    if p.returncode != 0 or b"Traceback" in p.stderr:
        failure = p.stderr.decode(errors="replace").strip().splitlines()[-1:] or [f"status {p.returncode}"]
        print(f"logreader.py failed on the file ({failure[0]}): withholding the lines it cannot read, and again")
        mod = prepare.load_vendor(a.logreader, shim)
        screened = os.path.join(wd, "screened.log")
        withheld, where = prepare.screen(mod, lr_input, screened)
        lr_input = screened
        p, secs = run([a.python, a.logreader, lr_input], env)
        if p.returncode != 0 or b"Traceback" in p.stderr:
            sys.stderr.write(p.stderr.decode(errors="replace"))
            print("logreader.py failed on the screened file too")
            return 3
    out = p.stdout.decode("utf-8", "replace")
    with open(os.path.join(wd, "logreader.txt"), "w") as f:
        f.write(out)
    digests, preamble = digest.parse(out)
    print(f"logreader.py: {len(digests)} calls in {secs:.1f} s (lxml: {lxml})")
    numbers.update(logreader_calls=len(digests), logreader_seconds=round(secs, 2))
    for what, n in normalised.items():
        print(f"  its input: {n} lines with the {what}")
    if withheld:
        print(f"  its input: {sum(withheld.values())} lines withheld (logreader fails on them), by error and message:")
        show_counter(collections.Counter({f"{e} — {m!r} (first: line {where[(e, m)]})": v for (e, m), v in withheld.items()}), "    ")
    numbers["withheld"] = {f"{e} | {m}": v for (e, m), v in withheld.items()}
    unknown = sum(len(d.unknown) for d in digests) + len(preamble)
    print(f"  lines of its output not understood: {unknown}")
    for x in (preamble + [u for d in digests for u in d.unknown])[: a.examples]:
        print(f"    {x[:160]}")
    numbers["output_lines_not_understood"] = unknown

    matched, how = match(digests, ct_calls)
    ct_matched = collections.defaultdict(list)
    for n, nums in matched.items():
        for num in nums:
            ct_matched[num].append(n)
    # logreader files every SIP message whose text has no "Call-ID:" header (the compact
    # i: form, once fragments are joined) under the id None: one "call" of many.
    nones = [d for d in digests if d.callid == "None"]
    only_lr = [d for n, d in enumerate(digests) if n not in matched and d.callid != "None"]
    only_ct = [c for c in ct_calls if c["number"] not in ct_matched]
    section("calls")
    print(f"  found by both:  {len(matched)} logreader calls, {len(ct_matched)} calltail calls "
          f"(matched by {', '.join(f'{k} {v}' for k, v in how.items()) or 'nothing'})")
    print(f"  only calltail:  {len(only_ct)}")
    print(f"  only logreader: {len(only_lr)}")
    for d in nones:
        sip = d.sip()
        print(f"  and logreader's call \"None\": {len(sip)} SIP messages ({sum(m.key == 'INVITE' for m in sip)} INVITEs)"
              " of many calls whose Call-ID header logreader did not find (compact i:), gathered into one")
        numbers["logreader_none_call_sip_messages"] = len(sip)
    numbers.update(both_logreader=len(matched), both_calltail=len(ct_matched), only_calltail=len(only_ct),
                   only_logreader=len(only_lr))
    split = {n: nums for n, nums in matched.items() if len(nums) > 1}
    merged = {num: ns for num, ns in ct_matched.items() if len(ns) > 1}
    print(f"  one logreader call in several calltail calls: {len(split)}")
    for n, nums in list(split.items())[: a.examples]:
        print(f"    {digests[n].callid} -> calltail calls {nums}")
    print(f"  one calltail call holding several logreader calls: {len(merged)}")
    for num, ns in list(merged.items())[: a.examples]:
        print(f"    calltail call {num} holds {[digests[n].callid for n in ns]}")
    numbers.update(split=len(split), merged=len(merged))

    inv = invites(a.file)
    why = collections.Counter()
    examples = collections.defaultdict(list)
    for c in only_ct:
        forms = {inv[i] for i in c.get("call_ids") or [] if i in inv}
        if c.get("protocol") == "SIP" or forms:
            w = "INVITE with the compact i: header" if forms == {"i"} else (
                "INVITE logged, not listed by logreader" if forms else "no INVITE of its Call-IDs in the file")
        else:
            w = "not SIP"
        k = f"{c.get('protocol') or '?'} {c['state']}: {w}"
        why[k] += 1
        examples[k].append(c)
    section("only calltail, by protocol, state and what the file holds")
    show_counter(why)
    for k, _ in why.most_common(4):
        for c in examples[k][: a.examples]:
            print(f"    e.g. [{k}] call {c['number']} ids {(c.get('call_ids') or c.get('uuids') or c.get('participant_ids'))[:2]}")
    numbers["only_calltail_why"] = dict(why)
    section("only logreader, by the message it starts with")
    lr_why = collections.Counter(d.init() for d in only_lr)
    show_counter(lr_why)
    for d in only_lr[: a.examples]:
        print(f"    e.g. {d.callid} ({d.init()}, {len(d.messages)} messages, start {d.get('start')})")
    numbers["only_logreader_why"] = dict(lr_why)

    rel = checks.related(ct_calls)
    verdicts = collections.defaultdict(collections.Counter)
    diffs = collections.defaultdict(list)
    deltas = collections.defaultdict(list)
    names = [name for name, _ in checks.checks(rel)]
    for n, nums in matched.items():
        d, c = digests[n], by_number[nums[0]]
        for name, check in checks.checks(rel):
            lr, ct = check(d, c)
            v = checks.verdict(lr, ct)
            verdicts[name][v] += 1
            if v == "differ":
                diffs[name].append((d.callid, c["number"], lr, ct))
                if isinstance(lr, int) and isinstance(ct, int):
                    deltas[name].append(ct - lr)
    section(f"fields of the {len(matched)} calls found by both")
    cols = ["equal", "differ", "only logreader", "only calltail", "neither"]
    print(f"  {'field':34s}" + "".join(f"{x:>16s}" for x in cols))
    for name in names:
        print(f"  {name:34s}" + "".join(f"{verdicts[name][x]:16d}" for x in cols))
    numbers["fields"] = {name: dict(verdicts[name]) for name in names}
    for name in names:
        if not diffs[name]:
            continue
        extra = ""
        if deltas[name]:
            ds = sorted(deltas[name])
            extra = f" (calltail - logreader, ms: min {ds[0]}, median {ds[len(ds) // 2]}, max {ds[-1]})"
        print(f"  {name}: {len(diffs[name])} differ{extra}")
        for callid, num, lr, ct in diffs[name][: a.examples]:
            if name in ("start", "end"):
                lr, ct = clock(lr), clock(ct)
            print(f"    {callid} (calltail {num}): logreader {str(lr)[:120]} | calltail {str(ct)[:120]}")

    ladder_sample(a, digests, matched, numbers)
    context(digests, matched, numbers)
    if a.json_out:
        with open(a.json_out, "w") as f:
            json.dump(numbers, f, indent=1)
    if a.keep:
        print(f"\nlogreader's input and output: {wd}")
    else:
        shutil.rmtree(wd, ignore_errors=True)
    return 0


def ladder_sample(a, digests, matched, numbers):
    with_sip = sorted((n for n in matched if digests[n].sip()), key=lambda n: digests[n].callid)
    if a.sample <= 0 or not with_sip:
        return
    step = max(1, len(with_sip) // a.sample)
    picked = with_sip[::step][: a.sample]
    tot = collections.Counter()
    ex = collections.defaultdict(list)
    for n in picked:
        d = digests[n]
        p, _ = run([a.calltail, "--call", d.callid, "--json", a.file])
        if p.returncode != 0:
            tot["calls calltail --call did not find"] += 1
            continue
        both, only_ct, only_lr, sdp = checks.ladder(d, json.loads(p.stdout))
        tot["both"] += sum(both.values())
        tot["only calltail"] += sum(only_ct.values())
        tot["only logreader"] += sum(only_lr.values())
        tot["SDP flag differs"] += len(sdp)
        for k, m in (("only calltail", only_ct), ("only logreader", only_lr), ("SDP flag differs", sdp)):
            ex[k] += [(d.callid, f"{clock(t) if t is not None else '?'} {key} {'sent' if out else 'received'}")
                      for t, key, out in sorted(m, key=lambda x: (x[0] or 0, x[1]))]
    section(f"SIP ladders of {len(picked)} calls found by both (calltail --call ID --json)")
    for k in ("both", "only calltail", "only logreader", "SDP flag differs", "calls calltail --call did not find"):
        print(f"  {k:36s}{tot[k]:8d}")
        for callid, x in ex[k][: a.examples]:
            print(f"    {callid}: {x}")
    numbers["ladder_sample"] = {"calls": len(picked), **tot}


def context(digests, matched, numbers):
    """What logreader shows of the matched calls, by kind of message."""
    msgs, calls_with = collections.Counter(), collections.Counter()
    for n in matched:
        kinds = collections.Counter(m.kind for m in digests[n].messages)
        msgs.update(kinds)
        calls_with.update(kinds.keys())
    section("what logreader shows of the calls found by both, by kind, and which calltail JSON report holds it")
    for kind, v in msgs.most_common():
        print(f"  {kind:28s}{v:9d} messages in {calls_with[kind]:6d} calls   {IN_CALLTAIL.get(kind, '-')}")
    events = collections.Counter(m.text[3:].split(" (")[0].split(",")[0][:60] for n in matched
                                 for m in digests[n].messages if m.kind in ("event", "pin", "dtmf"))
    print("  of which administrator/participant lines (** ...), by message:")
    show_counter(events, "    ", 15)
    numbers["context"] = {k: [v, calls_with[k]] for k, v in msgs.items()}


if __name__ == "__main__":
    sys.exit(main())
