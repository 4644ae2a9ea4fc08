package manage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// KeyRow is one signing key as the keys page shows it.
type KeyRow struct {
	Kid                 string
	NotBefore, NotAfter time.Time
	Status              keyset.Status
	Held, Signing       bool
	// Active and Total count the constancias it signed: in force, and
	// ever (still stored).
	Active, Total int
}

// KeyRows lists every key of the current keyset with what it signed.
func (m *Manager) KeyRows(ctx context.Context) (uint64, []KeyRow, error) {
	ks, _ := m.Keys.Keyset()
	_, signing, _ := m.Keys.Signer()
	rows := make([]KeyRow, len(ks.Keys))
	for i, k := range ks.Keys {
		rows[i] = KeyRow{Kid: hexKid(k.ID), NotBefore: k.NotBefore, NotAfter: k.NotAfter, Status: k.Status,
			Held: m.Keys.Held(k.ID), Signing: bytes.Equal(k.ID, signing.ID)}
	}
	err := m.Store.View(ctx, func(tx store.Tx) error {
		return tx.ForEach(func(c *constancia.Issued) error {
			for i, k := range ks.Keys {
				if bytes.Equal(k.ID, c.KeyID) {
					rows[i].Total++
					if c.State == constancia.Active {
						rows[i].Active++
					}
				}
			}
			return nil
		})
	})
	return ks.Seq, rows, err
}

// KeysetResult is what installing a keyset changed.
type KeysetResult struct {
	Seq uint64
	// Compromised are the keys this keyset newly declares compromised,
	// with how many constancias in force each signed.
	Compromised []KeyRow
	// Switched is set when the signing key changed.
	Switched       bool
	OldKid, NewKid string
}

// InstallKeyset installs a root-signed keyset made with cla-keys (see
// keys.AddKeyset). Keys it newly declares compromised are dropped from the
// issuer, the status list is signed again under a good key at once, and
// each is audited with the number of constancias in force it signed; the
// caller then offers the mass reissue (StartReissue).
func (m *Manager) InstallKeyset(ctx context.Context, a Actor, doc []byte) (*KeysetResult, error) {
	before, _ := m.Keys.Keyset()
	_, oldSigner, _ := m.Keys.Signer()
	ks, err := m.Keys.AddKeyset(doc)
	if err != nil {
		return nil, err
	}
	res := &KeysetResult{Seq: ks.Seq, OldKid: hexKid(oldSigner.ID)}
	var newly [][]byte
	for _, k := range ks.Keys {
		if prev, ok := before.Key(k.ID); k.Status == keyset.Compromised && (!ok || prev.Status != keyset.Compromised) {
			newly = append(newly, k.ID)
		}
	}
	for _, kid := range newly {
		if err := m.Keys.DropSigner(kid); err != nil {
			return nil, err
		}
	}
	if _, cur, err := m.Keys.Signer(); err == nil {
		res.NewKid = hexKid(cur.ID)
		res.Switched = res.NewKid != res.OldKid
	}
	_, rows, err := m.KeyRows(ctx)
	if err != nil {
		return nil, err
	}
	err = m.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := audit.Append(tx, m.entry(a, audit.KeyUpload, strconv.FormatUint(ks.Seq, 10))); err != nil {
			return err
		}
		for _, kid := range newly {
			for _, r := range rows {
				if r.Kid == hexKid(kid) {
					res.Compromised = append(res.Compromised, r)
					if _, err := audit.Append(tx, m.entry(a, audit.KeyCompromised, r.Kid,
						"constancias", strconv.Itoa(r.Active))); err != nil {
						return err
					}
				}
			}
		}
		if res.Switched {
			if _, err := audit.Append(tx, m.entry(a, audit.KeySwitch, res.NewKid, "old", res.OldKid)); err != nil {
				return err
			}
		}
		if len(newly) > 0 {
			// The list in force may be signed by the compromised key.
			return m.Status.Republish(tx)
		}
		return nil
	})
	return res, err
}

// InstallSigner installs a signing key file made with cla-keys (with its
// passphrase); the key must be in the current keyset. If it becomes the
// signing key, the switch is audited.
func (m *Manager) InstallSigner(ctx context.Context, a Actor, file, passphrase []byte) (keyset.Key, bool, error) {
	_, old, _ := m.Keys.Signer()
	k, err := m.Keys.AddSigner(file, passphrase)
	if err != nil {
		return keyset.Key{}, false, err
	}
	_, cur, _ := m.Keys.Signer()
	switched := !bytes.Equal(cur.ID, old.ID)
	err = m.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := audit.Append(tx, m.entry(a, "signing_key_install", hexKid(k.ID))); err != nil {
			return err
		}
		if switched {
			_, err := audit.Append(tx, m.entry(a, audit.KeySwitch, hexKid(cur.ID), "old", hexKid(old.ID)))
			return err
		}
		return nil
	})
	return k, switched, err
}

// SignedBy returns the constancias in force that key kid (hex) signed.
func (m *Manager) SignedBy(ctx context.Context, kid string) ([]*constancia.Issued, error) {
	var out []*constancia.Issued
	err := m.Store.View(ctx, func(tx store.Tx) error {
		return tx.ForEach(func(c *constancia.Issued) error {
			if c.State == constancia.Active && hexKid(c.KeyID) == kid {
				out = append(out, c)
			}
			return nil
		})
	})
	return out, err
}

// Job is a mass reissue of the constancias a compromised key signed. It
// is kept in the store and picked up again after a restart: each
// constancia is reissued in its own transaction, and one already reissued
// is no longer in force, so nothing is done twice.
type Job struct {
	ID       string    `json:"id"`
	Kid      string    `json:"kid"`
	By       string    `json:"by"`
	Total    int       `json:"total"`
	Done     int       `json:"done"`
	Failed   int       `json:"failed"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"`
	Error    string    `json:"error,omitempty"`
}

const jobPrefix = "job/reissue/"

// ErrNotCompromised: a mass reissue is only for a compromised key.
var ErrNotCompromised = errors.New("manage: the key is not declared compromised")

// StartReissue starts reissuing every constancia in force that key kid
// (hex) signed, in the background, and returns the job ID. The key must be
// declared compromised. Starting it twice for a key returns the running
// job.
func (m *Manager) StartReissue(ctx context.Context, a Actor, kid string) (string, error) {
	ks, _ := m.Keys.Keyset()
	compromised := false
	for _, k := range ks.Keys {
		if hexKid(k.ID) == kid && k.Status == keyset.Compromised {
			compromised = true
		}
	}
	if !compromised {
		return "", ErrNotCompromised
	}
	affected, err := m.SignedBy(ctx, kid)
	if err != nil {
		return "", err
	}
	j := &Job{ID: kid, Kid: kid, By: a.User, Total: len(affected), Started: m.Now().UTC()}
	err = m.Store.Update(ctx, func(tx store.Tx) error {
		if b, err := tx.Meta(jobPrefix + j.ID); err == nil {
			var old Job
			if json.Unmarshal(b, &old) == nil && old.Finished.IsZero() {
				*j = old
				return nil
			}
		}
		if _, err := audit.Append(tx, m.entry(a, "reissue_start", kid, "constancias", strconv.Itoa(j.Total))); err != nil {
			return err
		}
		return putJob(tx, j)
	})
	if err != nil {
		return "", err
	}
	m.run(j.ID, a)
	return j.ID, nil
}

func putJob(tx store.Tx, j *Job) error {
	b, err := json.Marshal(j)
	if err != nil {
		return err
	}
	return tx.PutMeta(jobPrefix+j.ID, b)
}

// GetJob returns a job's progress.
func (m *Manager) GetJob(ctx context.Context, id string) (*Job, error) {
	var j Job
	err := m.Store.View(ctx, func(tx store.Tx) error {
		b, err := tx.Meta(jobPrefix + id)
		if err != nil {
			return err
		}
		return json.Unmarshal(b, &j)
	})
	return &j, err
}

// ResumeJobs restarts the jobs a stop or crash interrupted. Run at start.
func (m *Manager) ResumeJobs(ctx context.Context) (int, error) {
	var ids []string
	err := m.Store.View(ctx, func(tx store.Tx) error {
		return tx.ForEachMeta(jobPrefix, func(k string, v []byte) error {
			var j Job
			if json.Unmarshal(v, &j) == nil && j.Finished.IsZero() {
				ids = append(ids, j.ID)
			}
			return nil
		})
	})
	for _, id := range ids {
		m.run(id, System)
	}
	// A cancellation's compaction that a stop interrupted.
	m.compactSoon()
	return len(ids), err
}

// Wait waits for the running jobs (tests, shutdown).
func (m *Manager) Wait() { m.wg.Wait() }

// run works job id in the background unless it already runs.
func (m *Manager) run(id string, a Actor) {
	if _, running := m.jobs.LoadOrStore(id, true); running {
		return
	}
	m.wg.Go(func() {
		defer m.jobs.Delete(id)
		if err := m.work(m.background(), id, a); err != nil && m.Log != nil && !errors.Is(err, context.Canceled) {
			m.Log.Error("mass reissue", "job", id, "err", err)
		}
	})
}

// progressEvery is how many reissues go between progress saves.
const progressEvery = 10

func (m *Manager) work(ctx context.Context, id string, a Actor) error {
	j, err := m.GetJob(ctx, id)
	if err != nil {
		return err
	}
	affected, err := m.SignedBy(ctx, j.Kid)
	if err != nil {
		return err
	}
	// Whatever is no longer in force was reissued (before a restart, or
	// by hand); failures are tried again.
	j.Done, j.Failed = max(0, j.Total-len(affected)), 0
	save := func() error {
		return m.Store.Update(ctx, func(tx store.Tx) error { return putJob(tx, j) })
	}
	for i, c := range affected {
		if ctx.Err() != nil {
			// Stopping: save where we are (on a fresh context).
			m.Store.Update(context.WithoutCancel(ctx), func(tx store.Tx) error { return putJob(tx, j) })
			return ctx.Err()
		}
		_, err := m.Reissue(ctx, a, c.ID, issuance.ReasonKeyCompromised)
		switch {
		case errors.Is(err, issuance.ErrNotCurrent):
			// reissued meanwhile (by hand, or by the holder)
		case err != nil:
			j.Failed++
			j.Error = err.Error()
		default:
			j.Done++
		}
		if (i+1)%progressEvery == 0 {
			if err := save(); err != nil {
				return err
			}
		}
	}
	j.Finished = m.Now().UTC()
	return m.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := audit.Append(tx, m.entry(a, "reissue_done", j.Kid, "done", strconv.Itoa(j.Done),
			"failed", strconv.Itoa(j.Failed))); err != nil {
			return err
		}
		return putJob(tx, j)
	})
}

// String describes a job for logs.
func (j *Job) String() string {
	return fmt.Sprintf("%s: %d/%d (%d failed)", j.Kid, j.Done, j.Total, j.Failed)
}
