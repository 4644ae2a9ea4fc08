package vectors

import (
	"encoding/json"
	"path"
)

// Files returns every vector as file name (under Dir) → contents.
func (s *Set) Files() (map[string][]byte, error) {
	out := map[string][]byte{}
	add := func(kind, name string, v any) error {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		out[path.Join(kind, name+".json")] = append(b, '\n')
		return nil
	}
	for _, c := range s.Credentials {
		if err := add("credential", c.Name, c); err != nil {
			return nil, err
		}
	}
	for _, k := range s.Keysets {
		if err := add("keyset", k.Name, k); err != nil {
			return nil, err
		}
	}
	for _, st := range s.Statuses {
		if err := add("status", st.Name, st); err != nil {
			return nil, err
		}
	}
	for _, j := range s.JWKS {
		if err := add("jwks", j.Name, j); err != nil {
			return nil, err
		}
	}
	for _, f := range s.Fingerprints {
		if err := add("fingerprint", f.Name, f); err != nil {
			return nil, err
		}
	}
	return out, nil
}
