package qrfile

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestBusy: with MaxConcurrent reads under way, another waits its turn
// and is told ErrBusy when none comes; once a slot frees, it reads.
func TestBusy(t *testing.T) {
	maxWait = 50 * time.Millisecond
	defer func() { maxWait = MaxWait }()
	for range MaxConcurrent {
		gate <- struct{}{}
	}
	if _, err := Texts(context.Background(), []byte("not a picture")); !errors.Is(err, ErrBusy) {
		t.Fatalf("all slots taken: %v, want ErrBusy", err)
	}
	go func() { time.Sleep(10 * time.Millisecond); <-gate }()
	maxWait = 5 * time.Second
	texts, err := Texts(context.Background(), []byte("not a picture"))
	if errors.Is(err, ErrBusy) || len(texts) != 0 {
		t.Fatalf("after a slot freed: %v, %v", texts, err)
	}
	for range MaxConcurrent - 1 {
		<-gate
	}
}
