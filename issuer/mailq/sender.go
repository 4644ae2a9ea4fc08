package mailq

import "context"

// Sender hands one rendered message to the next hop. The queue calls it
// from several goroutines at once.
//
// Send returns nil only once the message is accepted (an SMTP server's 250
// after DATA, or an .eml file durably in the outbox). A failure should wrap
// ErrRejected (never retry), ErrDeferred (retry this message later) or
// anything else, taken as ErrUnavailable (pause the whole queue).
type Sender interface {
	Send(ctx context.Context, env Envelope, msg []byte) error
}

// Envelope is what a Sender needs besides the message bytes.
type Envelope struct {
	ID   string   // the queue's message id
	From string   // MAIL FROM: a bare address
	To   []string // RCPT TO: bare addresses
}
