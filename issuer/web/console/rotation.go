package console

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/keys"
	"github.com/minedu-cla/cla/issuer/lima"
	"github.com/minedu-cla/cla/issuer/manage"
)

// The guided rotation of the signing key (manage/rotation.go,
// docs/ADMIN.md): the keys page shows the four steps, which is done, which
// comes next and from when it is possible; each step is a form that asks
// for the step-up. A refused upload or step says why in the user's
// language and is audited (key_refused) with a reason code, never the file
// or the passphrase.

func (s *server) rotationRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /admin/claves/rotacion/preparar", s.staffOnly(adminsOnly, s.postPrepare))
	mux.HandleFunc("POST /admin/claves/rotacion/publicar", s.staffOnly(adminsOnly, s.postPublish))
	mux.HandleFunc("POST /admin/claves/rotacion/cambiar", s.staffOnly(adminsOnly, s.postSwitch))
	mux.HandleFunc("POST /admin/claves/rotacion/retirar", s.staffOnly(adminsOnly, s.postRetire))
}

// suggestedLead is the not_before the page suggests for the new key: a
// week ahead, so verifiers that sync weekly hold it before any code it
// signs (the verifier warns at 7 days without a sync).
const suggestedLead = 7 * 24 * time.Hour

type rotationView struct {
	Steps []rotationStep
	// Next is the next step (1–4); Possible whether it can be taken now,
	// else From says when.
	Next                       int
	Possible                   bool
	From                       string
	CurrentKid, NewKid, OldKid string
	// Command is the cla-keys ceremony for the keyset of steps 2 and 4.
	Command string
}

type rotationStep struct {
	N     int
	Title string
	// State is done, next or later.
	State string
}

func limaTime(t time.Time) string { return t.In(lima.Zone).Format("2006-01-02 15:04") }

func (s *server) rotationView(r *http.Request, l i18n.Lang) *rotationView {
	rot, err := s.Manage.Rotation(r.Context())
	if err != nil {
		s.Log.Error("rotation state", "err", err)
		return nil
	}
	now := s.Now()
	v := &rotationView{Next: rot.Step, Possible: !now.Before(rot.From), CurrentKid: rot.CurrentKid,
		NewKid: rot.NewKid, OldKid: rot.OldKid}
	if !v.Possible {
		v.From = limaTime(rot.From)
	}
	for n := manage.StepPrepare; n <= manage.StepRetire; n++ {
		st := rotationStep{N: n, Title: i18n.T(l, fmt.Sprintf("admin.rot.step%d", n)), State: "later"}
		switch {
		case n < rot.Step:
			st.State = "done"
		case n == rot.Step:
			st.State = "next"
		}
		v.Steps = append(v.Steps, st)
	}
	switch rot.Step {
	case manage.StepPublish:
		nb := now.Add(suggestedLead).UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
		v.Command = fmt.Sprintf("cla-keys keyset -root root.key -prev %s -add %s -not-before %s -out %s",
			keys.KeysetFile(rot.Seq), i18n.T(l, "admin.rot.keyfile"), nb.Format("2006-01-02"), keys.KeysetFile(rot.Seq+1))
	case manage.StepRetire:
		v.Command = fmt.Sprintf("cla-keys keyset -root root.key -prev %s -retire %s -retire-at %s -out %s",
			keys.KeysetFile(rot.Seq), rot.OldKid, rot.RetireAt.UTC().Format(time.RFC3339), keys.KeysetFile(rot.Seq+1))
	}
	return v
}

func (s *server) postPrepare(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	if !s.stepUp(w, r, ss, i18n.T(s.Lang(w, r), "admin.stepup.prepare")) {
		return
	}
	file, err := upload(r, "clave")
	if err != nil {
		s.keyRefused(w, r, ss, "rotation_prepare", errNoFile)
		return
	}
	if _, err := s.Manage.PrepareKey(r.Context(), actorOf(ss), file, []byte(r.PostFormValue("frase"))); err != nil {
		s.keyRefused(w, r, ss, "rotation_prepare", err)
		return
	}
	http.Redirect(w, r, "/admin/claves?hecho=preparada", http.StatusSeeOther)
}

func (s *server) postPublish(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	if !s.stepUp(w, r, ss, i18n.T(s.Lang(w, r), "admin.stepup.publish")) {
		return
	}
	doc, err := upload(r, "keyset")
	if err != nil {
		s.keyRefused(w, r, ss, "rotation_publish", errNoFile)
		return
	}
	if _, err := s.Manage.PublishKeys(r.Context(), actorOf(ss), doc); err != nil {
		s.keyRefused(w, r, ss, "rotation_publish", err)
		return
	}
	http.Redirect(w, r, "/admin/claves?hecho=publicado", http.StatusSeeOther)
}

func (s *server) postSwitch(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	if !s.stepUp(w, r, ss, i18n.T(s.Lang(w, r), "admin.stepup.switch")) {
		return
	}
	if _, err := s.Manage.SwitchKey(r.Context(), actorOf(ss)); err != nil {
		s.keyRefused(w, r, ss, "rotation_switch", err)
		return
	}
	http.Redirect(w, r, "/admin/claves?hecho=cambiada", http.StatusSeeOther)
}

func (s *server) postRetire(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	if !s.stepUp(w, r, ss, i18n.T(s.Lang(w, r), "admin.stepup.retire")) {
		return
	}
	doc, err := upload(r, "keyset")
	if err != nil {
		s.keyRefused(w, r, ss, "rotation_retire", errNoFile)
		return
	}
	if _, err := s.Manage.RetireOld(r.Context(), actorOf(ss), doc); err != nil {
		s.keyRefused(w, r, ss, "rotation_retire", err)
		return
	}
	http.Redirect(w, r, "/admin/claves?hecho=retirada", http.StatusSeeOther)
}

// errNoFile: the form came without its file, or with one over the cap.
var errNoFile = errors.New("console: no file, or over the cap")

// refusal explains one kind of refused key step: the message shown and
// the reason written to the trail.
type refusal struct {
	err         error
	msg, reason string
}

// refusals, the first match wins; the others are a file that is not
// what the form asks for.
var refusals = []refusal{
	{errNoFile, "admin.keys.err.file", "no_file"},
	{keyfile.ErrPassphrase, "admin.keys.err.passphrase", "wrong_passphrase"},
	{keyfile.ErrFormat, "admin.keys.err.keyfile", "not_a_key_file"},
	{keys.ErrNotSigningKey, "admin.keys.err.notsigning", "not_a_signing_key"},
	{keyset.ErrUntrustedRoot, "admin.keys.err.root", "not_signed_by_root"},
	{keyset.ErrRollback, "admin.keys.err.rollback", "rollback"},
	{keyset.ErrBrokenChain, "admin.keys.err.chain", "broken_chain"},
	{keyset.ErrMalformed, "admin.keys.err.keyset", "not_a_keyset"},
	{keys.ErrNoSignerAfter, "admin.keys.err.nosigner", "no_signer_after"},
	{manage.ErrWrongStep, "admin.rot.err.step", "wrong_step"},
	{manage.ErrTooEarly, "admin.rot.err.early", "too_early"},
	{manage.ErrNewKeyMissing, "admin.rot.err.newkey", "new_key_missing"},
	{manage.ErrOldKeyDropped, "admin.rot.err.oneshot", "retires_key_in_use"},
	{manage.ErrOldKeyActive, "admin.rot.err.notretired", "old_key_not_retired"},
	{manage.ErrRetiredTooEarly, "admin.rot.err.retireat", "retired_before_last_signature"},
	{keys.ErrCannotSign, "admin.rot.err.cannotsign", "cannot_sign"},
	{keys.ErrListed, "admin.rot.err.listed", "key_already_listed"},
}

// keyRefused answers a refused key step on the keys page (422) and
// audits it with the reason. Errors no refusal names are the server's
// (503).
func (s *server) keyRefused(w http.ResponseWriter, r *http.Request, ss *staffSession, step string, err error) {
	l := s.Lang(w, r)
	for _, rf := range refusals {
		if errors.Is(err, rf.err) {
			s.audit(r.Context(), ss, audit.KeyRefused, step, "reason", rf.reason)
			msg := i18n.T(l, rf.msg)
			if rf.err == manage.ErrTooEarly || rf.err == manage.ErrRetiredTooEarly {
				if rot, e := s.Manage.Rotation(r.Context()); e == nil {
					at := rot.From
					if rf.err == manage.ErrRetiredTooEarly {
						at = rot.RetireAt
					}
					msg = i18n.T(l, rf.msg, limaTime(at))
				}
			}
			s.keysPage(w, r, ss, http.StatusUnprocessableEntity, "", msg)
			return
		}
	}
	s.Log.Error("key step", "step", step, "err", err)
	s.audit(r.Context(), ss, audit.KeyRefused, step, "reason", "server_error")
	s.adminFail(w, r, ss, http.StatusServiceUnavailable, "web.refusal.unavailable")
}
