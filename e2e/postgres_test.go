package e2e

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minedu-cla/cla/internal/pgtest"
)

// TestIssuerReplicasOnPostgres: three cla-issuer processes on one
// PostgreSQL database (a throwaway cluster), sharing keys and the
// student-index secret as docs/DEPLOY.md says. 64 requests for 16
// students (four each, overlapping, spread over the replicas) go out at
// once, and one replica is killed (SIGKILL) in the middle of the burst.
// Every code a client received verifies on another replica; a student
// never got two different codes; asking again returns the constancia
// (rate limits off: every client here is 127.0.0.1)
// already there; the audit chain is intact. Every code a client received
// reaches the SMTP server, sent by whichever replica took it from the
// one outbox, and no message is sent twice but those the killed replica
// was sending.
func TestIssuerReplicasOnPostgres(t *testing.T) {
	skipShort(t)
	pg := pgtest.Start(t)
	url := pg.NewDatabase(t)
	data := []string{t.TempDir(), t.TempDir(), t.TempDir()}
	smtpAddr := freeAddr(t)
	smtp := faultStartSMTP(t, smtpAddr)
	_, smtpPort, _ := net.SplitHostPort(smtpAddr)
	env := []string{"CLA_DATABASE_URL=" + url, "CLA_RATE_LIMITS=off", "CLA_SMTP_HOST=127.0.0.1", "CLA_SMTP_PORT=" + smtpPort, "CLA_SMTP_TLS=none"}
	replicas := []*Issuer{StartIssuer(t, data[0], "", env...)}
	// The others get the first's keys and secret (a deployment copies them
	// to every replica, or mounts them).
	for _, d := range data[1:] {
		if out, err := exec.Command("cp", "-a", filepath.Join(data[0], "keys"), filepath.Join(data[0], "secret"), d).CombinedOutput(); err != nil {
			t.Fatalf("copying keys: %v %s", err, out)
		}
		replicas = append(replicas, StartIssuer(t, d, "", env...))
	}
	if _, err := os.Stat(filepath.Join(data[0], "db_micertificado")); err == nil {
		t.Error("the issuer made a bbolt file although it was given a database")
	}
	g := Population(t)
	students := faultAdults(t, g, 16)
	const requests = 64
	got := make([]string, requests) // the code each request received ("" if none)
	var sent atomic.Int64
	var wg sync.WaitGroup
	killed := make(chan struct{})
	for i := range requests {
		r := replicas[i%3]
		c := students[i%len(students)]
		wg.Go(func() {
			if sent.Add(1) == requests/2 {
				go func() { replicas[2].Kill(t); close(killed) }() // mid-burst
			}
			if r == replicas[2] {
				select {
				case <-killed:
					return // a client of the dead replica gets no answer
				default:
				}
			}
			st, out, _, err := faultPost(r.URL, RequestBody(t, g, c, fmt.Sprintf("s%d@example.pe", i%len(students))))
			if err == nil && (st == 200 || st == 201) && out.Code != "" {
				got[i] = out.Code
			} else if r != replicas[2] {
				t.Errorf("request %d to a live replica: %d %+v %v", i, st, out, err)
			}
		})
	}
	wg.Wait()
	<-killed
	byStudent := map[int]string{}
	received := 0
	for i, code := range got {
		if code == "" {
			continue
		}
		received++
		s := i % len(students)
		if prev, ok := byStudent[s]; ok && prev != code {
			t.Errorf("student %d got two codes: %s and %s", s, prev, code)
		}
		byStudent[s] = code
		if st, status, err := faultLookup(replicas[(i+1)%2].URL, code); st != 200 || status != "valid" {
			t.Errorf("code %s on another replica: %d %q %v", code, st, status, err)
		}
	}
	if received < requests/2 {
		t.Errorf("only %d of %d requests got a code", received, requests)
	}
	// Every student, asked again: the one constancia already there.
	for s, c := range students {
		st, again := RequestCode(t, replicas[s%2].URL, RequestBody(t, g, c, fmt.Sprintf("s%d@example.pe", s)))
		if (st != 200 && st != 201) || !again.Existing || (byStudent[s] != "" && again.Code != byStudent[s]) {
			t.Errorf("student %d asked again: %d %+v, want the existing %q", s, st, again, byStudent[s])
		}
	}
	// The e-mails: every received code's, from the one outbox.
	mailed := func() (map[string]int, map[string]int) {
		byCode, byID := map[string]int{}, map[string]int{}
		for _, m := range smtp.Messages() {
			pm, err := faultParseMail(m.Data)
			if err != nil {
				t.Fatal(err)
			}
			byCode[pm.Code]++
			byID[pm.MessageID]++
		}
		return byCode, byID
	}
	if !faultWait(2*time.Minute, func() bool {
		byCode, _ := mailed()
		for _, code := range byStudent {
			if byCode[faultCanonical(t, code)] == 0 {
				return false
			}
		}
		return faultOutboxEmpty(replicas[0].URL)
	}) {
		byCode, _ := mailed()
		t.Errorf("after 2 min: e-mails by code %v; received codes %v; outbox empty: %v", byCode, byStudent, faultOutboxEmpty(replicas[0].URL))
	}
	_, byID := mailed()
	twice := 0
	for id, n := range byID {
		if n > 1 {
			twice += n - 1
			t.Logf("message %s sent %d times", id, n)
		}
	}
	if twice > 4 { // the killed replica's deliveries in flight, at most its concurrency
		t.Errorf("%d messages sent more than once", twice)
	}
	code, out, stderr := Run(t, nil, "cla-issuer", "audit", "check", "-database", url)
	if code != 0 || !strings.Contains(out, "audit trail intact") {
		t.Errorf("audit check: exit %d\n%s%s", code, out, stderr)
	}
	t.Logf("%d of %d requests answered with a code (one replica killed mid-burst); %d e-mails sent (%d Message-IDs twice); %s",
		received, requests, len(smtp.Messages()), twice, strings.TrimSpace(out))
}

// TestRateLimitsAcrossReplicas is the attack on per-replica limits: a
// client spreads its code lookups over two replicas on one database to get
// twice the budget. The buckets are the database's: the limit (a burst of
// 20) holds whichever replica answers, and both refuse once it is spent.
func TestRateLimitsAcrossReplicas(t *testing.T) {
	skipShort(t)
	url := pgtest.Start(t).NewDatabase(t)
	data := []string{t.TempDir(), t.TempDir()}
	a := StartIssuer(t, data[0], "", "CLA_DATABASE_URL="+url)
	if out, err := exec.Command("cp", "-a", filepath.Join(data[0], "keys"), filepath.Join(data[0], "secret"), data[1]).CombinedOutput(); err != nil {
		t.Fatalf("copying keys: %v %s", err, out)
	}
	b := StartIssuer(t, data[1], "", "CLA_DATABASE_URL="+url)
	ok, refused := map[string]int{}, map[string]int{}
	for i := range 40 {
		r := []*Issuer{a, b}[i%2]
		st, _, _ := faultLookup(r.URL, "ABCD-EFGH-JKLM") // any code: the limit comes first
		switch st {
		case 429:
			refused[r.URL]++
		default:
			ok[r.URL]++
		}
	}
	if total := ok[a.URL] + ok[b.URL]; total > 21 {
		t.Errorf("%d lookups answered over two replicas (%d and %d): each counted its own budget of 20", total, ok[a.URL], ok[b.URL])
	}
	if refused[a.URL] == 0 || refused[b.URL] == 0 {
		t.Errorf("refusals: %v; both replicas should refuse once the shared budget is spent", refused)
	}
}
