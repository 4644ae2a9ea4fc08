package camera

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"
)

// Decoder finds QR texts in a luminance plane (scan.Gray).
type Decoder func(ctx context.Context, pix []byte, width, height, stride int) ([]string, error)

// Pump moves frames from a Source to the preview and to the decoder.
type Pump struct {
	Source Source
	Decode Decoder
	// Accept picks the texts worth reporting (a CLA code, not any QR).
	Accept func(text string) bool
	// Preview gets every frame, on the pump's goroutine; it must return at
	// once (hand the picture to the UI thread and go).
	Preview func(Picture)
	// Found gets each accepted text, on the decoder's goroutine.
	Found func(text string)
	// BadFrame gets frames that do not decode (a torn USB transfer); the
	// pump goes on.
	BadFrame func(error)

	frames, decoded, dropped, found atomic.Int64
}

// Stats count what a pump did.
type Stats struct {
	// Frames reached the preview; Decoded went through the decoder;
	// Dropped arrived while the decoder was busy and were not decoded.
	Frames, Decoded, Dropped, Found int64
}

// Stats returns the counts so far (safe while running).
func (p *Pump) Stats() Stats {
	return Stats{Frames: p.frames.Load(), Decoded: p.decoded.Load(), Dropped: p.dropped.Load(), Found: p.found.Load()}
}

// Run pumps until ctx ends, the source fails, or a recording ends
// (nil then). The decoder runs on its own goroutine and only ever gets a
// frame when it is idle: a slow decode drops frames, it never delays one.
func (p *Pump) Run(ctx context.Context) error {
	work := make(chan Picture) // unbuffered: a send succeeds only when the decoder waits
	var wg sync.WaitGroup
	wg.Go(func() {
		for pic := range work {
			p.decode(ctx, pic)
		}
	})
	defer func() {
		close(work)
		wg.Wait()
	}()
	for {
		f, err := p.Source.Next(ctx)
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		pic, err := Decode(f)
		if err != nil {
			if p.BadFrame != nil {
				p.BadFrame(err)
			}
			continue
		}
		p.frames.Add(1)
		if p.Preview != nil {
			p.Preview(pic)
		}
		select {
		case work <- pic:
		default:
			p.dropped.Add(1)
		}
	}
}

func (p *Pump) decode(ctx context.Context, pic Picture) {
	if ctx.Err() != nil {
		return
	}
	texts, _ := p.Decode(ctx, pic.Y, pic.Width, pic.Height, pic.Stride)
	p.decoded.Add(1)
	for _, t := range texts {
		if p.Accept == nil || p.Accept(t) {
			p.found.Add(1)
			if p.Found != nil {
				p.Found(t)
			}
		}
	}
}
