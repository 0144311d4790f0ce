"""Read the text that logreader.py prints into per-call digests.

logreader prints each call as a block that starts with two blank lines and
`Call-ID: <id>`, then header lines (`Conversation-ID:`, `Participant-ID:`, `Related
Participants:`, `Service: <type> (<conference>) / Protocol: <p>`, `From: .. / To: ..
[/ Direction: ..]`, `Start: .. / End: .. / Duration: ..`, `Signalling-Node: <node> (<host>)
[Location: <loc>] / Media-Node: .. [/ Proxy-Node: .. [Location: ..]]`, `Remote Vendor:`,
`Disconnect Reason:`), then one message per line that starts with its originating time
(`2026-05-14 08:00:00,000`), continued by indented lines. Messages are told apart by
their shape:

    <t> <local> -> <remote> [TLS] 1 INVITE + SDP          SIP request (its CSeq)
    <t> <local> <- <remote> [TLS] 200 OK (1 INVITE) + SDP  SIP response
    <t> <a> -> <b> BFCP ... / H225 ... / H245 ...
    <t> <a> -> <b>   Event: ...                             REST API event
    <t> <a> -> <b> METHOD ...                               REST API request/response, WebRTC
    <t> ** <message> ...                                    any other line of the call

Everything this module does not recognise is counted in Digest.unknown, so that a change
in logreader's output shows as "not understood" lines rather than as silent gaps.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (.*)$")
ADDR = r"\S+(?: \[[0-9a-fA-F.:, ]+\])?"  # an address, and the forwarded-for one of REST
ARROW = re.compile(rf"^({ADDR}) (->|<-) ({ADDR})(?: (.*))?$")
SIP = re.compile(r"^\[([A-Za-z0-9]+)\] (.*)$")
RESPONSE = re.compile(r"^(\d{3}) ([^(]*?) \((\d+ [A-Za-z]+)\)")
REQUEST = re.compile(r"^(?:\d+ )?([A-Za-z]+)")
# A response whose "(CSeq)" logreader printed run into the next header: a fragment that
# started with a line break lost it (logreader reads a value starting with ^M differently).
BROKEN_RESPONSE = re.compile(r"^\d{3} [A-Z][a-z]")
# "Summarised ... SIP" lines: "<CSeq> <Method>[ (<status>)]".
# A full request prints its CSeq alone ("1 ACK"): a summary has three words or a status.
SUMMARY = re.compile(r"^\d+ (?:[A-Za-z]+ ([A-Za-z]+)(?: \((\d{3})\))?|([A-Za-z]+) \((\d{3})\))$")
NODES = re.compile(
    r"^Signalling-Node: (.*) \((.*)\) \[Location: (.*)\] / Media-Node: (.*) \((.*)\) \[Location: (.*?)\]"
    r"(?: / Proxy-Node: (.*) \[Location: (.*)\])?$")
STREAM = re.compile(r"Stream (\d+) \((\w+)\)")
DIRECTION = re.compile(r"(RX|TX): rate (\S+) loss (\S+) jitter (\S+)")
CODEC = re.compile(r"codec (\S+) rate (\S+)(?: resolution (\S+))?(?: fps (\S+))?")
QUALITY = re.compile(r"Was (\S+) -> Now (\S+)")
MODE = re.compile(r"New mode activated: (?:Stream \S+ \([^)]*\))?, (.*)$")
# logreader prints the lines of support.participant as they are, without Was, Now or Mode
# (it reads those fields only from support.media lines): such a change is "?".
UNSHOWN = "?"


def millis(t):
    """Milliseconds since the epoch of `2026-05-14 08:00:00,000` or `... 08:00:00.000`
    (UTC); None for ""."""
    if not t:
        return None
    d = datetime.strptime(t.replace(",", "."), "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=timezone.utc)
    return round(d.timestamp() * 1000)


@dataclass
class Message:
    """One message of a call as logreader prints it."""
    time: str
    kind: str  # sip, sip-summary, bfcp, h225, h245, rest-event, rest/webrtc, other-arrow, or a ** kind
    text: str  # the first line, without the time
    more: list = field(default_factory=list)  # continuation lines, stripped
    out: bool = False  # sent by Pexip (->)
    key: str = ""  # sip: method, or status and CSeq method ("200 INVITE")
    sdp: bool = False


@dataclass
class Digest:
    """One call as logreader prints it; "" where it prints nothing."""
    callid: str
    header: dict = field(default_factory=dict)
    messages: list = field(default_factory=list)
    unknown: list = field(default_factory=list)  # lines not understood

    def get(self, name):
        return self.header.get(name, "")

    def sip(self):
        return [m for m in self.messages if m.kind in ("sip", "sip-summary")]

    def init(self):
        """The kind of message logreader took as the call's start (its first SIP INVITE,
        H.225 setup, REST request_token...), as far as the output shows it."""
        for m in self.messages:
            if m.kind == "sip" and m.key in ("INVITE", "SUBSCRIBE"):
                return "SIP " + m.key
            if m.kind == "h225" and " setup" in " " + m.text.split(" H225 ", 1)[-1]:
                return "H.225 setup"
            if m.kind == "rest/webrtc":
                return "REST/WebRTC " + m.key
        return "other"

    def streams(self):
        """The end-of-call streams of its "Media Stream destroyed" lines, as dicts with
        the keys of calltail's --json streams."""
        out = []
        for m in self.messages:
            if m.kind != "media-stream-destroyed":
                continue
            cur = None
            for line in [m.text] + m.more:
                s = STREAM.search(line)
                if s:
                    cur = {"index": int(s.group(1)), "kind": s.group(2)}
                    out.append(cur)
                if cur is None:
                    continue
                for d in DIRECTION.finditer(line):
                    p = d.group(1).lower()
                    cur[p + "_rate"], cur[p + "_loss"], cur[p + "_jitter"] = d.group(2), d.group(3), d.group(4)
                c = CODEC.search(line)
                if c:
                    cur["codec"], cur["codec_rate"] = c.group(1), c.group(2)
                    if c.group(3):
                        cur["resolution"] = c.group(3)
                    if c.group(4):
                        cur["fps"] = c.group(4)
        return out

    def qualities(self):
        """(was, now) of each "Stable call quality changed", in order; UNSHOWN where
        logreader does not print them."""
        out = []
        for m in self.messages:
            if m.kind == "quality":
                q = QUALITY.search(m.text)
                out.append(q.groups() if q else UNSHOWN)
        return out

    def modes(self):
        """The mode of each "New mode activated", in order; UNSHOWN where logreader
        does not print it."""
        out = []
        for m in self.messages:
            if m.kind == "mode":
                q = MODE.search(m.text)
                out.append(q.group(1) if q else UNSHOWN)
        return out


STAR_KINDS = [  # (prefix of the text after "** ", kind)
    ("DNS Query:", "dns"), ("TCP Connection", "tcp"), ("TLS Connection", "tcp"),
    ("ICE new-selected-pair", "ice"), ("ICE failed", "ice"), ("New mode activated", "mode"),
    ("Stable call quality changed", "quality"), ("Packet loss report", "stream-window"),
    ("Recent quality report", "stream-window"), ("Media Stream destroyed", "media-stream-destroyed"),
    ("Lost incoming video", "lost-video"), ("Sent VSR", "vsr"), ("Received VSR", "vsr"),
    ("Receiving audio MSI", "audio-msi"), ("SIP Transport Failure", "sip-transport-failure"),
]


def classify(time, text, more):
    """Returns the Message of one printed message."""
    m = Message(time, "", text, more)
    if text.startswith("** "):
        body = text[3:]
        m.kind = next((k for p, k in STAR_KINDS if body.startswith(p)), "")
        if not m.kind:
            m.kind = "dtmf" if "DTMF digit" in body else "pin" if "PIN" in body else "event"
        return m
    if text.startswith("-> ") or text.startswith("<- "):  # Teams, Google Meet
        m.kind, m.out = "other-arrow", text.startswith("->")
        return m
    a = ARROW.match(text)
    if not a:
        m.kind = "unknown"
        return m
    m.out = a.group(2) == "->"
    rest = a.group(4) or ""
    if not rest:  # RTMP: the addresses, then the message on the next line
        m.kind = "rtmp"
        return m
    s = SIP.match(rest)
    if s:
        body = s.group(2)
        m.sdp = " + SDP" in body
        r = RESPONSE.match(body)
        summary = SUMMARY.match(body)
        if r:
            m.kind, m.key = "sip", r.group(1) + " " + r.group(3).split()[1].upper()
        elif BROKEN_RESPONSE.match(body):  # its CSeq runs into the next header
            m.kind, m.key = "sip", body[:3] + " ?"
        elif summary:
            m.kind = "sip-summary"
            meth, status = (summary.group(1), summary.group(2)) if summary.group(1) else summary.group(3, 4)
            m.key = (status + " " if status else "") + meth.upper()
        else:
            q = REQUEST.match(body)
            m.kind, m.key = "sip", q.group(1).upper() if q else ""
        return m
    for word, kind in (("BFCP ", "bfcp"), ("H225 ", "h225"), ("H245 ", "h245")):
        if rest.startswith(word):
            m.kind = kind
            return m
    if rest.startswith("  Event: "):
        m.kind = "rest-event"
        return m
    m.kind, m.key = "rest/webrtc", rest.split(" ", 1)[0]
    return m


def _header(d, line):
    for prefix, name in (("Conversation-ID: ", "conversation_id"), ("Participant-ID: ", "participant_id"),
                         ("Related Participants: ", "related"), ("Remote Vendor: ", "vendor"),
                         ("Disconnect Reason: ", "reason")):
        if line.startswith(prefix):
            d.header[name] = line[len(prefix):]
            return True
    if line.startswith("Service: ") and " / Protocol: " in line:
        svc, proto = line[len("Service: "):].rsplit(" / Protocol: ", 1)
        st, _, conf = svc.partition(" (")
        d.header.update(service_type=st, conference=conf[:-1] if conf.endswith(")") else conf, protocol=proto)
        return True
    if line.startswith("From: ") and " / To: " in line:
        rest = line[len("From: "):]
        if " / Direction: " in rest:
            rest, d.header["direction"] = rest.rsplit(" / Direction: ", 1)
        d.header["from"], d.header["to"] = rest.split(" / To: ", 1)
        return True
    if line.startswith("Start: "):
        parts = dict(p.split(": ", 1) for p in line.split(" / "))
        d.header.update(start=parts.get("Start", ""), end=parts.get("End", ""), duration=parts.get("Duration", ""))
        return True
    n = NODES.match(line)
    if n:
        for name, v in zip(("signaling_node", "signaling_host", "signaling_location", "media_node", "media_host",
                            "media_location", "proxy_node", "proxy_location"), n.groups()):
            if v is not None and v != "Unknown":
                d.header[name] = v
        return True
    return False


def parse(text):
    """Returns the digests of logreader's output, in its order, and the lines before the
    first call (which should be none)."""
    blocks = text.split("\n\nCall-ID: ")
    digests = []
    for block in blocks[1:]:
        lines = block.split("\n")
        d = Digest(lines[0])
        i = 1
        while i < len(lines) and not TIME.match(lines[i]):
            if lines[i] and not _header(d, lines[i]):
                d.unknown.append(lines[i])
            i += 1
        cur = None
        for line in lines[i:]:
            t = TIME.match(line)
            if t:
                cur = (t.group(1), t.group(2), [])
                d.messages.append(cur)
            elif line.strip() and cur:
                cur[2].append(line.strip())
            elif line.strip():
                d.unknown.append(line)
        d.messages = [classify(*c) for c in d.messages]
        d.unknown += [m.text for m in d.messages if m.kind == "unknown"]
        digests.append(d)
    return digests, [x for x in blocks[0].split("\n") if x.strip()]
