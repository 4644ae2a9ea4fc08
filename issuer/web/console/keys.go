package console

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/manage"

	"github.com/minedu-cla/cla/issuer/lima"

	"github.com/minedu-cla/cla/issuer/web"
)

// Keys (admins only): the keyset in force and what each key signed;
// install a root-signed keyset made with cla-keys (a rotation, a
// retirement, a compromise) and the new signing key; after a compromise,
// the constancias the key signed and their mass reissue, with progress.

// maxKeyUpload caps an uploaded keyset or key file.
const maxKeyUpload = 512 << 10

func (s *server) keyRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/claves", s.staffOnly(adminsOnly, s.getKeys))
	mux.HandleFunc("POST /admin/claves/keyset", s.staffOnly(adminsOnly, s.postKeyset))
	s.rotationRoutes(mux)
	mux.HandleFunc("GET /admin/claves/firmadas/{kid}", s.staffOnly(adminsOnly, s.getSignedBy))
	mux.HandleFunc("POST /admin/claves/reemitir/{kid}", s.staffOnly(adminsOnly, s.postMassReissue))
	mux.HandleFunc("GET /admin/claves/reemision/{job}", s.staffOnly(adminsOnly, s.getJob))
}

type keysView struct {
	Seq      uint64
	Keys     []keyRow
	Done     string
	Rotation *rotationView
}

type keyRow struct {
	Kid, From, To, Status string
	Held, Signing         bool
	Compromised           bool
	Active, Total         int
}

func (s *server) keysPage(w http.ResponseWriter, r *http.Request, ss *staffSession, status int, done string, errs ...string) {
	p, l := s.adminPage(w, r, ss, "admin.keys.title", "claves")
	seq, rows, err := s.Manage.KeyRows(r.Context())
	if err != nil {
		s.Log.Error("key rows", "err", err)
	}
	v := &keysView{Seq: seq, Done: done}
	for _, k := range rows {
		v.Keys = append(v.Keys, keyRow{Kid: k.Kid, From: k.NotBefore.In(lima.Zone).Format("2006-01-02 15:04"),
			To: k.NotAfter.In(lima.Zone).Format("2006-01-02 15:04"), Status: i18n.T(l, "admin.keys.status."+k.Status.String()),
			Held: k.Held, Signing: k.Signing, Compromised: k.Status == keyset.Compromised, Active: k.Active, Total: k.Total})
	}
	v.Rotation = s.rotationView(r, l)
	p.Data, p.Errors = v, errs
	s.Render(w, r, status, "admin_keys", p)
}

func (s *server) getKeys(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	done := ""
	l := s.Lang(w, r)
	switch r.URL.Query().Get("hecho") {
	case "keyset":
		seq, _ := strconv.ParseUint(r.URL.Query().Get("seq"), 10, 64)
		done = i18n.T(l, "admin.keys.done.keyset", seq)
	case "preparada", "publicado", "cambiada", "retirada":
		done = i18n.T(l, "admin.rot.done."+r.URL.Query().Get("hecho"))
	}
	s.keysPage(w, r, ss, http.StatusOK, done)
}

// upload reads the multipart file field name, capped; after a step-up,
// the file kept with the pending action.
func upload(r *http.Request, name string) ([]byte, error) {
	if files, ok := r.Context().Value(uploadsKey{}).(map[string][]byte); ok {
		if b, ok := files[name]; ok {
			return b, nil
		}
		return nil, fmt.Errorf("no file %s, or over %d bytes", name, maxKeyUpload)
	}
	f, _, err := r.FormFile(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxKeyUpload+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxKeyUpload {
		return nil, fmt.Errorf("over %d bytes", maxKeyUpload)
	}
	return b, nil
}

// postKeyset installs any root-signed keyset: a compromise, a longer
// validity. A rotation takes the guided steps (rotation.go).
func (s *server) postKeyset(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	if !s.stepUp(w, r, ss, i18n.T(s.Lang(w, r), "admin.stepup.keyset")) {
		return
	}
	doc, err := upload(r, "keyset")
	if err != nil {
		s.keyRefused(w, r, ss, "keyset", errNoFile)
		return
	}
	res, err := s.Manage.InstallKeyset(r.Context(), actorOf(ss), doc)
	if err != nil {
		s.keyRefused(w, r, ss, "keyset", err)
		return
	}
	http.Redirect(w, r, "/admin/claves?hecho=keyset&seq="+strconv.FormatUint(res.Seq, 10), http.StatusSeeOther)
}

// getSignedBy lists the constancias in force a key signed, as CSV: code,
// issue time, version. No names: the holders are e-mailed by the reissue.
func (s *server) getSignedBy(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	kid := r.PathValue("kid")
	list, err := s.Manage.SignedBy(r.Context(), kid)
	if err != nil {
		s.adminFail(w, r, ss, http.StatusServiceUnavailable, "web.refusal.unavailable")
		return
	}
	s.audit(r.Context(), ss, "key_signed_list", kid, "constancias", strconv.Itoa(len(list)))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="constancias-`+safeName(kid)+`.csv"`)
	fmt.Fprint(w, "codigo,emitida,version\r\n")
	for _, c := range list {
		fmt.Fprintf(w, "%s,%s,%d\r\n", web.FormatCode(c.Code), c.IssuedAt.UTC().Format("2006-01-02T15:04:05Z"), c.Version)
	}
}

// safeName keeps only hex digits (a kid) for a file name.
func safeName(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s) && len(out) < 32; i++ {
		if c := s[i]; c >= '0' && c <= '9' || c >= 'a' && c <= 'f' {
			out = append(out, c)
		}
	}
	return string(out)
}

func (s *server) postMassReissue(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	id, err := s.Manage.StartReissue(r.Context(), actorOf(ss), r.PathValue("kid"))
	switch {
	case errors.Is(err, manage.ErrNotCompromised):
		s.adminFail(w, r, ss, http.StatusConflict, "admin.keys.err.notcompromised")
		return
	case err != nil:
		s.actionFail(w, r, ss, err)
		return
	}
	http.Redirect(w, r, "/admin/claves/reemision/"+id, http.StatusSeeOther)
}

type jobView struct {
	Kid                 string
	Total, Done, Failed int
	Percent             int
	Running             bool
	Started, Finished   string
	Error               string
}

func (s *server) getJob(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	j, err := s.Manage.GetJob(r.Context(), r.PathValue("job"))
	if err != nil {
		s.adminFail(w, r, ss, http.StatusNotFound, "admin.keys.err.nojob")
		return
	}
	p, _ := s.adminPage(w, r, ss, "admin.job.title", "claves")
	v := &jobView{Kid: j.Kid, Total: j.Total, Done: j.Done, Failed: j.Failed, Running: j.Finished.IsZero(),
		Started: j.Started.In(lima.Zone).Format("2006-01-02 15:04:05"), Error: j.Error, Percent: 100}
	if j.Total > 0 {
		v.Percent = (j.Done + j.Failed) * 100 / j.Total
	}
	if !j.Finished.IsZero() {
		v.Finished = j.Finished.In(lima.Zone).Format("2006-01-02 15:04:05")
	}
	p.Data = v
	s.Render(w, r, http.StatusOK, "admin_job", p)
}
