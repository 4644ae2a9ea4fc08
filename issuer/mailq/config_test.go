package mailq

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	pwFile := filepath.Join(t.TempDir(), "smtp-password")
	if err := os.WriteFile(pwFile, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]string
		check   func(*testing.T, Config)
		wantErr bool
	}{
		{"defaults: outbox", nil, func(t *testing.T, c Config) {
			if c.SMTP != nil || c.From != DefaultFrom || c.Outbox != DefaultOutbox {
				t.Errorf("%+v", c)
			}
		}, false},
		{"SMTP with STARTTLS by default", map[string]string{"CLA_SMTP_HOST": "smtp.minedu.gob.pe", "CLA_SMTP_USER": "cla", "CLA_SMTP_PASSWORD": "p"},
			func(t *testing.T, c Config) {
				if s := c.SMTP; s == nil || s.Host != "smtp.minedu.gob.pe" || s.TLS != StartTLS || s.Port != 0 || s.Username != "cla" || s.Password != "p" {
					t.Errorf("%+v", c.SMTP)
				}
			}, false},
		{"implicit TLS, port, password file wins", map[string]string{"CLA_SMTP_HOST": "h", "CLA_SMTP_TLS": "tls", "CLA_SMTP_PORT": "465",
			"CLA_SMTP_PASSWORD": "env", "CLA_SMTP_PASSWORD_FILE": pwFile, "CLA_SMTP_AUTH": "login"},
			func(t *testing.T, c Config) {
				if s := c.SMTP; s.TLS != ImplicitTLS || s.Port != 465 || s.Password != "from-file" || s.Auth != "LOGIN" {
					t.Errorf("%+v", c.SMTP)
				}
			}, false},
		{"bad TLS mode", map[string]string{"CLA_SMTP_HOST": "h", "CLA_SMTP_TLS": "ssl"}, nil, true},
		{"bad port", map[string]string{"CLA_SMTP_HOST": "h", "CLA_SMTP_PORT": "99999"}, nil, true},
		{"missing password file", map[string]string{"CLA_SMTP_HOST": "h", "CLA_SMTP_PASSWORD_FILE": pwFile + ".nope"}, nil, true},
		{"bad from", map[string]string{"CLA_MAIL_FROM": "no address"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

func TestConfigNewSender(t *testing.T) {
	t.Parallel()
	c := Config{Outbox: filepath.Join(t.TempDir(), "o")}
	if s, err := c.NewSender(); err != nil {
		t.Fatal(err)
	} else if _, ok := s.(*Outbox); !ok {
		t.Errorf("sender %T, want *Outbox", s)
	}
	c.SMTP = &SMTPConfig{Host: "smtp.example.pe"}
	if s, err := c.NewSender(); err != nil {
		t.Fatal(err)
	} else if _, ok := s.(*SMTP); !ok {
		t.Errorf("sender %T, want *SMTP", s)
	}
	c.SMTP = &SMTPConfig{}
	if _, err := c.NewSender(); !errors.Is(err, errNoHost) {
		t.Errorf("err = %v", err)
	}
}
