package mailq

import "time"

// Caps on what a message may hold. Render refuses a message over any of
// them.
const (
	MaxRecipients    = 10       // To addresses; a constancia goes to one
	MaxAddressLen    = 254      // RFC 5321 §4.5.3.1.3: 256 with the brackets
	MaxNameLen       = 200      // bytes in a display name
	MaxSubjectLen    = 400      // bytes in a subject before encoding
	MaxAttachments   = 10       // the constancia PDF, maybe the signed record
	MaxFileNameLen   = 200      // bytes in an attachment's file name
	MaxContentType   = 200      // bytes in an attachment's content type
	MaxMessageSize   = 10 << 20 // rendered bytes; relays commonly take 10–25 MB, a constancia is 50–200 KB
	base64LineLen    = 76       // RFC 2045 §6.8
	headerFoldLen    = 78       // RFC 5322 §2.1.1 "SHOULD" line length
	maxReasonLen     = 2000     // bytes of a server reply kept in a dead letter's reason
	defaultPort      = 587      // submission, RFC 6409
	defaultTLSPort   = 465      // submissions (implicit TLS), RFC 8314
	defaultPlainPort = 25
)

// Defaults for Options and SMTPConfig; docs/MAIL.md gives the reasons.
const (
	DefaultConcurrency    = 4
	DefaultRetryInitial   = 30 * time.Second
	DefaultRetryMax       = time.Hour
	DefaultRetryJitter    = 0.2 // ±20 %: spreads a burst of retries after an outage
	DefaultMaxAge         = 7 * 24 * time.Hour
	DefaultDeadRetention  = 30 * 24 * time.Hour
	DefaultDialTimeout    = 10 * time.Second
	DefaultCommandTimeout = time.Minute     // RFC 5321 §4.5.3.2 allows 5 min; a relay answers in ms
	DefaultDataTimeout    = 5 * time.Minute // sending ~300 KB and the final 250 (RFC: 10 min)
	DefaultPoll           = 2 * time.Second
	pruneInterval         = time.Hour
	maxPause              = 5 * time.Minute // between probes of an unreachable server
)
