"""Field by field: what logreader's digest of a call says against calltail's --calls --json.

Each check returns (logreader's value, calltail's value), both as comparable values
(strings, tuples, lists), None where that side says nothing. A field is then "equal",
"differ", "only logreader" or "only calltail".
"""

import collections
import re

from digest import UNSHOWN, millis

CHANGE_QUALITY = re.compile(r"^quality (\S*) -> (\S*)$")


def _set(v):
    """logreader joins the several values of an administrator field with ", "."""
    return tuple(sorted(x for x in v.split(", ") if x)) if v else None


def _ids(v):
    return tuple(sorted(v)) if v else None


def _str(v):
    return v or None


def _name_addr(v):
    """A From or To as logreader prints it: the header value up to its '>'."""
    if not v:
        return None
    return v[: v.find(">") + 1] if ">" in v else v


def related(ct_calls):
    """Returns, for each calltail call number, the Participant-Ids of the other calls of
    its Conversation-Ids (what logreader calls related participants)."""
    by_conv = collections.defaultdict(set)
    for c in ct_calls:
        for conv in c.get("conversation_ids") or []:
            by_conv[conv].update(c.get("participant_ids") or [])
    out = {}
    for c in ct_calls:
        rel = set()
        for conv in c.get("conversation_ids") or []:
            rel |= by_conv[conv]
        out[c["number"]] = rel - set(c.get("participant_ids") or [])
    return out


def _ct_streams(c):
    return [{k: v for k, v in s.items() if v != ""} for s in c.get("streams") or []] or None


def _streams_pair(d, c):
    """logreader's streams against calltail's, each compared on the keys logreader has."""
    lr, ct = d.streams() or None, _ct_streams(c)
    if lr is None or ct is None:
        return (lr and len(lr), ct and len(ct))
    # Compare what logreader parsed, in its order, against calltail's on the same keys.
    ct_cut = [{k: s.get(k, "") for k in l} for l, s in zip(lr, ct)]
    if len(lr) != len(ct):
        return (f"{len(lr)} streams", f"{len(ct)} streams")
    return (_fmt_streams(lr), _fmt_streams(ct_cut))


def _fmt_streams(ss):
    return "; ".join(" ".join(f"{k}={s[k]}" for k in sorted(s)) for s in ss)


def _unshown_agree(lr, ct):
    """Lists of changes, logreader's with UNSHOWN values: where the counts agree, an
    UNSHOWN value takes calltail's, so that only what logreader prints is compared."""
    if len(lr) == len(ct):
        lr = [c if x == UNSHOWN else x for x, c in zip(lr, ct)]
    return (lr or None, ct or None)


def _qualities(d, c):
    ct = [CHANGE_QUALITY.match(x["what"]).groups() for x in c.get("changes") or [] if CHANGE_QUALITY.match(x["what"])]
    return _unshown_agree(d.qualities(), ct)


def _modes(d, c):
    ct = [x["what"][len("new mode: "):] for x in c.get("changes") or [] if x["what"].startswith("new mode: ")]
    return _unshown_agree(d.modes(), ct)


def _ice(d, c):
    """The last ICE outcome: "ICE new-selected-pair event" or "ICE failed"."""
    lr = [m.text[3:].split(":")[0] for m in d.messages if m.kind == "ice"]
    return (lr[-1] if lr else None, c.get("ice") or None)


def _lost_video(d, c):
    lr = sum(1 for m in d.messages if m.kind == "lost-video")
    ct = sum(1 for x in c.get("changes") or [] if x["what"] == "lost incoming video")
    return (lr or None, ct or None)


def _time(name):
    def check(d, c):
        return (millis(d.get(name)), millis(c.get(name, "")))
    return check


def _span(d, c):
    a, b = millis(d.get("start")), millis(d.get("end"))
    x, y = millis(c.get("start", "")), millis(c.get("end", ""))
    return (b - a if a is not None and b is not None else None, y - x if x is not None and y is not None else None)


def _head(lr_name, ct_name, conv=_str, ct_conv=None):
    def check(d, c):
        return (conv(d.get(lr_name)), (ct_conv or conv)(c.get(ct_name, "")))
    return check


def _head_set(lr_name, ct_name):
    def check(d, c):
        return (_set(d.get(lr_name)), _ids(c.get(ct_name)))
    return check


def _related(rel):
    def check(d, c):
        return (_set(d.get("related")), _ids(rel.get(c["number"])))
    return check


def checks(rel):
    """The checks, in report order: (name, function of (digest, calltail call))."""
    return [
        ("conversation_id", _head_set("conversation_id", "conversation_ids")),
        ("participant_id", _head_set("participant_id", "participant_ids")),
        ("related_participants", _related(rel)),
        ("service_type", _head("service_type", "service_type")),
        ("conference", _head("conference", "conference")),
        ("protocol", _head("protocol", "protocol")),
        ("direction", _head("direction", "direction")),
        ("from", _head("from", "from", _str, _name_addr)),
        ("to", _head("to", "to", _str, _name_addr)),
        ("start", _time("start")),
        ("end", _time("end")),
        ("span (end - start, ms)", _span),
        ("signaling_node", _head("signaling_node", "signaling_node")),
        ("signaling_location", _head("signaling_location", "signaling_location")),
        ("media_node", _head("media_node", "media_node")),
        ("media_location", _head("media_location", "media_location")),
        ("proxy_node", _head("proxy_node", "proxy_node")),
        ("proxy_location", _head("proxy_location", "proxy_location")),
        ("vendor", _head("vendor", "vendor", lambda v: None if v in ("", "Unknown") else v)),
        ("disconnect_reason", _head("reason", "reason")),
        ("streams (Media Stream destroyed)", _streams_pair),
        ("quality changes", _qualities),
        ("new modes", _modes),
        ("ICE outcome", _ice),
        ("lost incoming video", _lost_video),
    ]


def verdict(lr, ct):
    if lr is None and ct is None:
        return "neither"
    if lr is None:
        return "only calltail"
    if ct is None:
        return "only logreader"
    return "equal" if lr == ct else "differ"


def sip_key(label):
    """calltail's ladder label as logreader's digest keys a SIP message: the method, or
    the status and the CSeq method ("200 INVITE"); and whether it carries SDP."""
    sdp = " + SDP" in label
    m = re.match(r"^(\d{3}) [^(]*\((\d+ [A-Za-z]+)\)", label)
    if m:
        return m.group(1) + " " + m.group(2).split()[1].upper(), sdp
    return label.split(" ", 1)[0].upper(), sdp


def ladder(d, call_json):
    """Compares logreader's SIP messages of a call with calltail's ladder (--call --json):
    returns Counters of (time ms, key, sent) found by both, only calltail, only logreader,
    and the SDP flags that differ on messages of both."""
    lr = collections.Counter((millis(m.time), m.key, m.out) for m in d.sip())
    lr_sdp = {(millis(m.time), m.key, m.out): m.sdp for m in d.sip()}
    ct, ct_sdp = collections.Counter(), {}
    # The call's SIP messages: "signalling" (each with its protocol) since calltail shows
    # BFCP and H.323 in the ladder too; "sip" before.
    messages = [s for s in call_json.get("signalling") or [] if s.get("protocol", "SIP") == "SIP"]
    for s in messages or call_json.get("sip") or []:
        key, sdp = sip_key(s.get("label", ""))
        k = (millis(s.get("time", "")), key, not s.get("received", False))
        ct[k] += 1
        ct_sdp[k] = sdp
    both = lr & ct
    sdp_differ = [k for k in both if lr_sdp.get(k) != ct_sdp.get(k)]
    return both, ct - lr, lr - ct, sdp_differ
