package audit

// Action is a stable code for what was done; it is what statistics count
// and auditors filter on, so a code never changes meaning. New codes may
// be added: Append accepts any of 1–32 characters a-z, 0-9 and '_',
// starting with a letter.
type Action string

// Actions. The Target each one carries is in parentheses.
const (
	// Sessions (the staff user name is the Actor).
	Login          Action = "login"           // a staff login that passed password and TOTP
	LoginFailed    Action = "login_failed"    // a failed login (the user name tried); Details "reason"
	Logout         Action = "logout"          // the user ended the session
	SessionExpired Action = "session_expired" // the session timed out

	// Constancias.
	Issue      Action = "issue"       // a constancia was issued (its code); Details "id", "kid"
	VerifyCode Action = "verify_code" // a lookup by virtual code (the code as typed, normalised); Details "result"
	Revoke     Action = "revoke"      // (code); Details "reason"
	Unrevoke   Action = "unrevoke"    // an admin undid a revocation (code)
	Reissue    Action = "reissue"     // a new version replaced one (old code); Details "new", "cause"
	Resend     Action = "resend"      // the same constancia sent again to a repeated request (its code)

	// Keys and trust data.
	KeyUpload      Action = "key_upload"      // a root-signed keyset was installed (keyset seq)
	KeySwitch      Action = "key_switch"      // the signing key changed (new kid); Details "old"
	KeyCompromised Action = "key_compromised" // a key was declared compromised (kid); Details "constancias"
	StatusPublish  Action = "status_publish"  // a status list was signed (seq)
	// The guided rotation (docs/ADMIN.md): each step, and every refused
	// upload with its reason (never the file or a passphrase).
	KeyPrepare Action = "key_prepare" // step 1: a new signing key is held (kid)
	KeyPublish Action = "key_publish" // step 2: a keyset lists old and new (new kid); Details "seq", "not_before"
	KeyRetire  Action = "key_retire"  // step 4: the old key retired and deleted here (kid); Details "seq", "not_after"
	KeyRefused Action = "key_refused" // a key upload or step was refused (the step); Details "reason"

	// Data-subject requests (Ley 29733: rectification, cancellation,
	// opposition, consent withdrawal, a new code).
	DSROpen  Action = "dsr_open"  // (request number); Details "kind", "subject"
	DSRClose Action = "dsr_close" // (request number); Details "outcome"
	Cancel   Action = "cancel"    // personal data removed (constancia ID)

	// Staff accounts.
	UserCreate  Action = "user_create"  // (user name); Details "role"
	UserDisable Action = "user_disable" // (user name)
	UserEnable  Action = "user_enable"  // (user name)
	TOTPReset   Action = "totp_reset"   // a new second-factor secret (user name)

	// The auditor's own reads: looking at the trail is itself recorded.
	AuditCheck  Action = "audit_check"  // Details "entries", "result"
	AuditExport Action = "audit_export" // the trail was exported
	StatsExport Action = "stats_export" // statistics were downloaded (table)

	// RecordsDropped: the Recorder's queue was full and it lost entries
	// (System); Details "count" is how many since the last such entry.
	RecordsDropped Action = "records_dropped"
)

// valid reports whether a is a well-formed action code.
func (a Action) valid() bool {
	if len(a) == 0 || len(a) > MaxAction || a[0] < 'a' || a[0] > 'z' {
		return false
	}
	for i := range len(a) {
		c := a[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
