package main

import (
	"testing"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/trust"
)

// TestEveryCodeTranslated: every status, reason and warning the engine can
// produce has its words in every language (the output builds these keys).
func TestEveryCodeTranslated(t *testing.T) {
	var keys []string
	for _, s := range []credential.Status{credential.Valid, credential.Revoked, credential.InvalidSignature,
		credential.UnknownKey, credential.KeyCompromised, credential.KeyNotValid, credential.Malformed,
		credential.Stale, credential.NotFound} {
		keys = append(keys, "status."+string(s), "status."+string(s)+".help")
	}
	for _, r := range []string{verifier.ReasonNoCode, verifier.ReasonNotCLA, verifier.ReasonUnsupported,
		verifier.ReasonUnreadable, verifier.ReasonNotCovered, trust.NoTrustData, trust.NoStatusList,
		trust.ClockBehind, trust.TooOld, trust.KeysetExpired} {
		keys = append(keys, "reason."+r)
	}
	for _, w := range []string{verifier.WarnTrustOld, verifier.WarnSyncMayHelp, verifier.WarnNoRevocation,
		verifier.WarnRecordMismatch, verifier.WarnRecordOnly, verifier.WarnSeveralCodes, verifier.WarnRecordNotSigned} {
		keys = append(keys, "warn."+w)
	}
	for _, r := range verifier.RefusalReasons {
		keys = append(keys, "import.reason."+r)
	}
	for _, l := range []credential.Level{credential.Inicial, credential.Primaria, credential.Secundaria} {
		keys = append(keys, "level."+l.String())
	}
	for _, r := range []credential.Result{credential.Promovido, credential.RequiereRecuperacion, credential.PermaneceEnElGrado} {
		keys = append(keys, "result."+r.String())
	}
	for _, s := range []keyset.Status{keyset.Active, keyset.Retired, keyset.Compromised} {
		keys = append(keys, "keys.status."+s.String())
	}
	for _, l := range i18n.Langs {
		c, err := i18n.Catalog(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if _, ok := c[k]; !ok {
				t.Errorf("%s: no %q", l, k)
			}
		}
	}
}
