package strictjson

import (
	"errors"
	"strings"
	"testing"
)

type doc struct {
	A string `json:"a"`
	B []int  `json:"b"`
}

func TestUnmarshal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"ok", `{"a":"x","b":[1,2]}`, true},
		{"trailing space", "{\"a\":\"x\"}\n ", true},
		{"duplicate", `{"a":"x","a":"y"}`, false},
		{"nested duplicate", `{"b":[1],"c":{"k":1,"k":2}}`, false},
		{"unknown field", `{"a":"x","z":1}`, false},
		{"trailing data", `{"a":"x"}{}`, false},
		{"truncated", `{"a":"x"`, false},
		{"deep", strings.Repeat("[", MaxDepth+2) + strings.Repeat("]", MaxDepth+2), false},
		{"wrong type", `{"a":1}`, false},
		{"empty", ``, false},
	}
	for _, tt := range tests {
		var d doc
		err := Unmarshal([]byte(tt.in), &d)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrMalformed)) {
			t.Errorf("%s: Unmarshal = %v", tt.name, err)
		}
	}
}

func TestErrorsDoNotQuoteInput(t *testing.T) {
	t.Parallel()
	var d doc
	err := Unmarshal([]byte(`{"a":"x","b":["10117410"]}`), &d)
	if err == nil || strings.Contains(err.Error(), "10117410") {
		t.Fatalf("error %v", err)
	}
}

func FuzzUnmarshal(f *testing.F) {
	for _, s := range []string{`{"a":"x","b":[1,2]}`, `{"a":"x","a":"y"}`, `[[[]]]`, `{"b":[1,{"x":1}]}`, `"\ud800"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var d doc
		if err := Unmarshal(data, &d); err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error does not wrap ErrMalformed: %v", err)
		}
	})
}
