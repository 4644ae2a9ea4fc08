package mailq

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkDeliver: mails taken from a bbolt outbox, composed, rendered,
// sent to a real SMTP server on loopback (STARTTLS, AUTH) and deleted,
// against the baseline of the same rendered message sent with SMTP.Send
// alone. The difference is the outbox's share: a read, a write and a
// commit per mail.
func BenchmarkDeliver(b *testing.B) {
	ts := startServer(b, serverOpts{tls: true, user: "cla", pass: "s3cr3t"})
	raw := render(b, func() *Message { m, _ := composeTest(context.Background(), nil); return m }())
	for _, conc := range []int{1, 4} {
		b.Run(fmt.Sprintf("baseline=SMTP.Send/conc=%d", conc), func(b *testing.B) {
			s := smtpSender(b, ts)
			b.SetParallelism(conc)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := s.Send(context.Background(), Envelope{ID: testID, From: testFrom.Address, To: []string{"a@example.pe"}}, raw); err != nil {
						b.Error(err)
					}
				}
			})
		})
		b.Run(fmt.Sprintf("outbox/conc=%d", conc), func(b *testing.B) {
			s := openBolt(b, filepath.Join(b.TempDir(), "db"))
			addrs := make([]string, b.N)
			for i := range addrs {
				addrs[i] = fmt.Sprintf("p%d@example.pe", i)
			}
			queue(b, s, time.Now(), addrs...)
			d := deliverer(b, s, smtpSender(b, ts), func(o *Options) { o.Concurrency = conc })
			b.ResetTimer()
			stop := run(b, d)
			for {
				st := stats(b, d)
				if st.Queued == 0 {
					break
				}
				time.Sleep(time.Millisecond)
			}
			b.StopTimer()
			stop()
		})
	}
}
