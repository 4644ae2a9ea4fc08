package main

import (
	"io"
	"net/netip"
	"slices"
	"testing"
)

// TestTrustedProxies: -behind-proxy trusts loopback, -trusted-proxies adds
// CIDRs (masked), and a value that is not a CIDR is refused.
func TestTrustedProxies(t *testing.T) {
	env := func(string) string { return "" }
	cfg, _, err := parse([]string{"-behind-proxy", "-trusted-proxies", "10.1.2.3/8, 2001:db8::/32"}, env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"127.0.0.0/8", "::1/128", "10.0.0.0/8", "2001:db8::/32"} {
		if !slices.Contains(cfg.TrustedProxies, netip.MustParsePrefix(want)) {
			t.Errorf("%s not trusted: %v", want, cfg.TrustedProxies)
		}
	}
	if cfg, _, _ := parse(nil, env, io.Discard); len(cfg.TrustedProxies) != 0 {
		t.Errorf("trusted by default: %v", cfg.TrustedProxies)
	}
	if _, _, err := parse([]string{"-trusted-proxies", "10.0.0.1"}, env, io.Discard); err == nil {
		t.Error("an address without a prefix length was accepted")
	}
}
