package calls

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// TestScannerAgents classifies the User-Agents and From names of testdata/scanners.txt:
// those SIP scanners send (read from their sources and captures, see testdata/SOURCES)
// and those of real endpoints, near misses included.
func TestScannerAgents(t *testing.T) {
	f, err := os.Open("testdata/scanners.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	counts := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		class, ua, ok := strings.Cut(sc.Text(), "\t")
		if !ok || strings.HasPrefix(class, "#") {
			continue
		}
		counts[class]++
		if got := IsScannerAgent(ua); got != (class == "scanner") {
			t.Errorf("IsScannerAgent(%q) = %v, want %v (a %s's)", ua, got, !got, class)
		}
	}
	if counts["scanner"] < 4 || counts["endpoint"] < 10 {
		t.Fatalf("testdata/scanners.txt holds %v: the test proves little", counts)
	}
}

// TestScannerCalls indexes the calls of a scanner (its INVITE's User-Agent, or only its
// From name), of a scanner the administrator log names by its Vendor, and of a real
// endpoint: the scanners' calls are left out and counted, the endpoint's kept.
func TestScannerCalls(t *testing.T) {
	invite := func(id, from, ua string) string {
		return `2026-05-14 10:00:00,000 Level="INFO" Name="support.sip" Message="Received SIP request" Src-address="203.0.113.9" Src-port="5070" Dst-address="10.0.1.11" Dst-port="5060" Transport="UDP" Detail="INVITE sip:100@10.0.1.11 SIP/2.0^MVia: SIP/2.0/UDP 203.0.113.9:5070;branch=z9hG4bK-1;rport^MFrom: ` +
			from + `;tag=1^MTo: <sip:100@10.0.1.11>^MCall-ID: ` + id + `^MCSeq: 1 INVITE^M` + ua + `Content-Length: 0^M^M"` + "\n"
	}
	log := invite("scan1@203.0.113.9", `\"sipvicious\"<sip:100@1.1.1.1>`, "User-Agent: friendly-scanner^M") +
		invite("scan2@203.0.113.9", `\"sipvicious\"<sip:100@1.1.1.1>`, "") +
		`2026-05-14 10:00:01,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." ConferenceAlias="100" Participant="sip:100@1.1.1.1" Protocol="SIP" Direction="in" Vendor="sipcli/v1.8" Call-Id="scan3@203.0.113.9" Participant-Id="p-scan3"` + "\n" +
		invite("alice@10.44.5.9", `\"Alice\" <sip:alice@example.com>`, "User-Agent: TANDBERG/257 (TE4.1.1.273710)^M")
	_, x := indexText(t, log)
	all := x.Calls()
	if len(all) != 4 {
		t.Fatalf("%d calls, want 4: %+v", len(all), all)
	}
	kept, hidden := WithoutScanners(all)
	if hidden != 3 || len(kept) != 1 || kept[0].CallIDs[0] != "alice@10.44.5.9" {
		t.Errorf("kept %d calls (%v), hid %d; want alice's call kept and 3 hidden", len(kept), kept, hidden)
	}
}
