// Package mailq sends the issuer's e-mail: the message that carries a
// constancia's PDF and virtual code to the person who asked for it.
//
// A [Message] is rendered once, when it is queued, to an RFC 5322 / MIME
// message (see [Render]). The [Queue] keeps it on disk in a spool folder,
// one file per message, written atomically and fsynced before
// [Queue.Enqueue] returns, so a message whose Enqueue returned survives a
// crash of the issuer. [Queue.Run] delivers it through a [Sender]: an [SMTP]
// relay when one is configured, otherwise an [Outbox] folder of .eml files.
// Failures are retried with exponential backoff and jitter; a message the
// server refuses for good goes to the spool's dead/ folder.
//
// Delivery is at-least-once: a message is deleted from the spool only after
// the server accepted it, so a crash between the server's 250 reply and that
// deletion sends it again (with the same Message-ID) after the restart.
//
// Personal data (Ley 29733): the spool keeps a message only until delivery;
// logs carry message ids and hashed addresses, never an address or a name.
// docs/MAIL.md describes configuration, the retry schedule and retention.
package mailq
