package calls

import (
	"bytes"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/sip"
)

// Signalling returns a call's signalling in time order (recs are its entries, numbers
// each one's number): its SIP messages, reassembled (see Ladder), and its BFCP floor
// control messages (support.bfcp, "Sending/Received BFCP message", tied to the SIP
// Call-Id) and H.225 / H.245 messages (support.h323.q931, .ras and .h245, "Sending/Received
// H.225 message", "... H.245 message", tied by their Uuid), with what each tells: a BFCP
// message's transaction, floor request and status, an H.225 message's reason, an H.245
// message's H.239 presentation token.
func Signalling(recs []model.Record, numbers []uint32) []Message {
	out := Ladder(recs, numbers)
	sipCount := len(out)
	for i := range recs {
		if m, ok := otherSignalling(&recs[i], numbers[i]); ok {
			out = append(out, m)
		}
	}
	if len(out) > sipCount {
		sort.SliceStable(out, func(i, j int) bool { return out[i].Time < out[j].Time })
	}
	return out
}

// otherSignalling reads a BFCP, H.225 or H.245 message of Pexip's support log.
func otherSignalling(r *model.Record, number uint32) (Message, bool) {
	if r.Shape != nil || r.Plain {
		return Message{}, false
	}
	msg := r.Message()
	var proto string
	switch {
	case bytes.HasPrefix(r.Module, []byte("support.bfcp")) && bytes.HasSuffix(msg, []byte(" BFCP message")):
		proto = "BFCP"
	case bytes.HasPrefix(r.Module, []byte("support.h323")) && bytes.HasSuffix(msg, []byte(" H.225 message")):
		proto = "H.225"
	case bytes.HasPrefix(r.Module, []byte("support.h323")) && bytes.HasSuffix(msg, []byte(" H.245 message")):
		proto = "H.245"
	default:
		return Message{}, false
	}
	detail, _ := r.Field("Detail")
	m := Message{Entry: number, Time: r.Time, Node: string(r.Node), Protocol: proto, Received: bytes.HasPrefix(msg, []byte("Received")),
		Src: addr(r, "Src-address", "Src-port"), Dst: addr(r, "Dst-address", "Dst-port"), Transport: fieldText(r, "Transport"),
		Text: unescapedCopy(detail), Fragments: 1}
	switch proto {
	case "BFCP":
		m.Start, m.Tags = bfcp(r, m.Text)
	case "H.225":
		m.Start = firstName(m.Text, h225Names)
		if reason := reasonOf(m.Text); reason != "" {
			m.Tags = []string{"reason " + reason}
		}
	default:
		m.Start = firstName(m.Text, h245Names)
		m.Tags = h239(m.Text)
	}
	return m, true
}

// bfcp reads a BFCP message's primitive and what it tells: from its own fields
// (Primitive, Transaction-Id, Floor-Request-Id, Floor-Status, Mode), or from its Detail,
// written as "Key: value" lines ("Primitive: FloorRequest^MRequest Status: Granted") or
// as the message's structure ("FloorRequestStatus(CommonHeader(..., trans_id=5, ...),
// ... request_status=Granted(...) ...)").
func bfcp(r *model.Record, detail []byte) (primitive string, tags []string) {
	if p := fieldText(r, "Primitive"); p != "" {
		return p, nonEmpty("transaction "+fieldText(r, "Transaction-Id"), "floor request "+fieldText(r, "Floor-Request-Id"),
			fieldText(r, "Floor-Status"), fieldText(r, "Mode"))
	}
	var trans, floor, status string
	for line := range sip.Lines(detail) {
		key, value, ok := strings.Cut(string(line), ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "primitive":
			primitive = value
		case "transaction id", "transaction-id":
			trans = value
		case "floor request id", "floor-request-id":
			floor = value
		case "request status", "floor status", "request-status":
			status = value
		}
	}
	if primitive == "" { // the structure
		text := string(detail)
		if open := strings.IndexByte(text, '('); open > 0 {
			primitive = strings.TrimSpace(text[:open])
		}
		trans, floor, status = submatch(bfcpTrans, text), submatch(bfcpFloor, text), submatch(bfcpStatus, text)
	}
	if primitive == "" {
		primitive = firstLine(detail)
	}
	return primitive, nonEmpty("transaction "+trans, "floor request "+floor, status)
}

var (
	bfcpTrans  = regexp.MustCompile(`trans_id=(\d+)`)
	bfcpFloor  = regexp.MustCompile(`(?:floor_request_id=|FloorRequestId\(floor_id=)(\d+)`)
	bfcpStatus = regexp.MustCompile(`request_status=([A-Za-z]+)`)
	reasonRE   = regexp.MustCompile(`\breason\b[:\s]*(?:\^M\s*)?([A-Za-z][A-Za-z0-9]*)`)
	wordRE     = regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*`)
	submsgRE   = regexp.MustCompile(`subMessageIdentifier[:\s]*(\d+)`)
	paramRE    = regexp.MustCompile(`parameterIdentifier[:\s]*(?:\^M\s*)?standard[:\s]*(?:\^M\s*)?(\d+)`)
)

func submatch(re *regexp.Regexp, text string) string {
	if m := re.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

// nonEmpty keeps the tags that carry a value: "transaction " alone says nothing.
func nonEmpty(tags ...string) []string {
	return slices.DeleteFunc(tags, func(t string) bool { return t == "" || strings.HasSuffix(t, " ") })
}

// firstName returns the first of names that the message's text holds as a word — the
// H.225 or H.245 message it is, however the log prints its structure — or else the first
// word of its first line.
func firstName(text []byte, names map[string]bool) string {
	for _, w := range wordRE.FindAll(text, 64) {
		if names[string(w)] {
			return string(w)
		}
	}
	first := firstLine(text)
	if w := wordRE.FindString(first); w != "" {
		return w
	}
	return first
}

func firstLine(text []byte) string {
	for line := range sip.Lines(text) {
		return strings.TrimSpace(string(line))
	}
	return ""
}

// reasonOf returns the reason an H.225 message gives ("releaseComplete: reason
// undefinedReason").
func reasonOf(text []byte) string { return submatch(reasonRE, string(text)) }

// h239 returns the H.239 presentation token message an H.245 generic message carries:
// by its subMessageIdentifier (3 request, 4 response, 5 release, 6 owner indication) and,
// for a response, whether it acknowledges (parameter 126) or rejects (127) — or as the
// logged text names it.
func h239(text []byte) []string {
	t := string(text)
	if id := submatch(submsgRE, t); id >= "3" && id <= "6" && len(id) == 1 {
		name := h239Messages[id[0]-'3']
		switch submatch(paramRE, t) {
		case "126":
			name += ": acknowledge"
		case "127":
			name += ": reject"
		}
		return []string{name}
	}
	var out []string
	for _, name := range h239Messages {
		if strings.Contains(t, name) {
			out = append(out, name)
		}
	}
	return out
}

// h239Messages are H.239's presentation token messages, by subMessageIdentifier from 3.
var h239Messages = [...]string{"presentationTokenRequest", "presentationTokenResponse", "presentationTokenRelease",
	"presentationTokenIndicateOwner"}

func nameSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// h225Names are the H.225 messages: Q.931 call signalling and RAS.
var h225Names = nameSet("setup", "callProceeding", "alerting", "connect", "releaseComplete", "facility", "progress",
	"notify", "statusInquiry", "setupAcknowledge",
	"gatekeeperRequest", "gatekeeperConfirm", "gatekeeperReject", "registrationRequest", "registrationConfirm",
	"registrationReject", "unregistrationRequest", "unregistrationConfirm", "unregistrationReject",
	"admissionRequest", "admissionConfirm", "admissionReject", "bandwidthRequest", "bandwidthConfirm", "bandwidthReject",
	"disengageRequest", "disengageConfirm", "disengageReject", "locationRequest", "locationConfirm", "locationReject",
	"infoRequest", "infoRequestResponse", "infoRequestAck", "infoRequestNak", "nonStandardMessage", "unknownMessageResponse",
	"requestInProgress", "resourcesAvailableIndicate", "resourcesAvailableConfirm", "serviceControlIndication",
	"serviceControlResponse")

// h245Names are the H.245 messages.
var h245Names = nameSet("masterSlaveDetermination", "masterSlaveDeterminationAck", "masterSlaveDeterminationReject",
	"masterSlaveDeterminationRelease", "terminalCapabilitySet", "terminalCapabilitySetAck", "terminalCapabilitySetReject",
	"terminalCapabilitySetRelease", "openLogicalChannel", "openLogicalChannelAck", "openLogicalChannelReject",
	"openLogicalChannelConfirm", "closeLogicalChannel", "closeLogicalChannelAck", "requestChannelClose",
	"requestChannelCloseAck", "requestChannelCloseReject", "requestChannelCloseRelease", "requestMode", "requestModeAck",
	"requestModeReject", "requestModeRelease", "roundTripDelayRequest", "roundTripDelayResponse",
	"maintenanceLoopRequest", "maintenanceLoopAck", "maintenanceLoopReject", "maintenanceLoopOffCommand",
	"communicationModeRequest", "communicationModeResponse", "communicationModeCommand", "conferenceRequest",
	"conferenceResponse", "conferenceCommand", "conferenceIndication", "multilinkRequest", "multilinkResponse",
	"logicalChannelRateRequest", "logicalChannelRateAcknowledge", "logicalChannelRateReject", "logicalChannelRateRelease",
	"sendTerminalCapabilitySet", "encryptionCommand", "flowControlCommand", "endSessionCommand", "miscellaneousCommand",
	"miscellaneousIndication", "jitterIndication", "h223SkewIndication", "newATMVCIndication", "userInputIndication",
	"h2250MaximumSkewIndication", "mcLocationIndication", "vendorIdentification", "functionNotSupported",
	"flowControlIndication", "mobileMultilinkReconfigurationIndication", "mobileMultilinkReconfigurationCommand",
	"genericRequest", "genericResponse", "genericCommand", "genericIndication")
