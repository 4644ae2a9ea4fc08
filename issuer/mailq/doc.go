// Package mailq sends the issuer's e-mail: the message that carries a
// constancia's PDF and virtual code to the person who asked for it.
//
// The e-mail is queued in the issuer's database, in the same transaction
// as the constancia it tells of (store.Mail, the transactional outbox):
// one is never stored without the other. A [Deliverer] takes the mails
// from there (store.Outbox: on PostgreSQL every replica's deliverers share
// the outbox, each mail held by one through a row lock), makes each
// message again from the constancia ([Render]), and hands it to a
// [Sender]: an [SMTP] relay (emersion/go-smtp and go-sasl) when one is
// configured, otherwise an [Outbox] folder of .eml files. Failures are
// retried with exponential backoff and jitter; a message the server
// refuses for good is kept, dead, for the administrator.
//
// Delivery is at-least-once: a mail is deleted only after the server
// accepted it, so a crash between the server's 250 reply and that
// deletion sends it again, with the same Message-ID.
//
// Personal data (Ley 29733): the outbox keeps an address and a
// constancia's id until delivery, not a copy of the message; logs and
// kept failures carry message ids and hashed addresses, never an address
// or a name. docs/MAIL.md describes configuration, the retry schedule and
// retention.
package mailq
