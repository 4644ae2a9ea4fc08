//go:build js

package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"syscall/js"

	"github.com/minedu-cla/cla/verifier"
)

// Export installs the engine's functions as globalThis[name] for the
// worker (worker.js). Each returns a JSON string, or a Promise of one
// when it waits on the browser (IndexedDB, fetch) or reads pixels; a
// Promise rejects with an Error for a call the engine cannot take (bad
// arguments, no engine open).
//
//	open(roots: string[])                    → Promise<{info, error?}>
//	openKeys(jwks: string)                   → {info}   (trust a JWKS only)
//	info()                                   → Info
//	verifyText(text)                         → {result}
//	verifyTexts(texts: string[])             → {texts, codes, results}
//	scanRGBA(pixels: Uint8Array, w, h)       → Promise<{texts, codes, results}>
//	verifyFile(name, bytes: Uint8Array)      → Promise<{results, codes, need_pdf?}>
//	sync(base)                               → Promise<{info, error?, refused?, offline?, changed?}>
//	pdf                                      → whether this build reads PDFs
//
// There is no exit: a module that exits while the runtime has a timer
// scheduled in JavaScript (a scan's budget) throws from that timer. A
// module no longer used is dropped, and collected with its memory.
func Export(name string, pdf bool) {
	x := &exported{}
	obj := js.Global().Get("Object").New()
	set := func(n string, f func(args []js.Value) any) {
		obj.Set(n, js.FuncOf(func(_ js.Value, args []js.Value) any { return f(args) }))
	}
	set("open", x.open)
	set("openKeys", x.openKeys)
	set("info", func([]js.Value) any { return x.call(func(b *Engine) (any, error) { return b.Info(), nil }) })
	set("verifyText", x.verifyText)
	set("verifyTexts", x.verifyTexts)
	set("scanRGBA", x.scanRGBA)
	set("verifyFile", x.verifyFile)
	set("sync", x.sync)
	obj.Set("pdf", pdf)
	js.Global().Set(name, obj)
}

// exported holds the engine the page opened.
type exported struct {
	mu sync.Mutex
	b  *Engine
}

func (x *exported) engine() (*Engine, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.b == nil {
		return nil, errors.New("browser: no engine open")
	}
	return x.b, nil
}

func (x *exported) set(b *Engine) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.b = b
}

// call runs f on the open engine now and answers its JSON.
func (x *exported) call(f func(*Engine) (any, error)) any {
	b, err := x.engine()
	if err == nil {
		var v any
		if v, err = f(b); err == nil {
			return answer(v)
		}
	}
	return js.Global().Get("Error").New(err.Error())
}

// later runs f on a goroutine of its own (it may wait on the browser,
// which the calling goroutine, the event loop's, must not) and returns a
// Promise of its JSON.
func later(f func() (any, error)) js.Value {
	exec := js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve, reject := args[0], args[1]
		go func() {
			defer func() {
				if p := recover(); p != nil {
					reject.Invoke(js.Global().Get("Error").New(fmt.Sprintf("engine panic: %v\n%s", p, debug.Stack())))
				}
			}()
			v, err := f()
			if err != nil {
				reject.Invoke(js.Global().Get("Error").New(err.Error()))
				return
			}
			resolve.Invoke(answer(v))
		}()
		return nil
	})
	defer exec.Release() // the Promise runs its executor at once
	return js.Global().Get("Promise").New(exec)
}

func answer(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"error": err.Error()})
	}
	return string(b)
}

func (x *exported) open(args []js.Value) any {
	var roots []string
	if len(args) > 0 && args[0].Type() == js.TypeObject {
		for i := range args[0].Length() {
			roots = append(roots, args[0].Index(i).String())
		}
	}
	return later(func() (any, error) {
		st := &Store{Blob: idb{js.Global().Get("claIDB")}}
		b, o, err := Open(context.Background(), roots, st)
		if err != nil {
			return nil, err
		}
		x.set(b)
		return o, nil
	})
}

func (x *exported) openKeys(args []js.Value) any {
	if len(args) < 1 || args[0].Type() != js.TypeString {
		return js.Global().Get("Error").New("openKeys(jwks: string)")
	}
	b, err := OpenKeys([]byte(args[0].String()))
	if err != nil {
		return js.Global().Get("Error").New(err.Error())
	}
	x.set(b)
	return answer(Opened{Info: b.Info()})
}

func (x *exported) verifyText(args []js.Value) any {
	text := ""
	if len(args) > 0 && args[0].Type() == js.TypeString {
		text = args[0].String()
	}
	return x.call(func(b *Engine) (any, error) {
		return map[string]any{"result": b.VerifyText(text)}, nil
	})
}

func (x *exported) verifyTexts(args []js.Value) any {
	var texts []string
	if len(args) > 0 && args[0].Type() == js.TypeObject {
		for i := range args[0].Length() {
			texts = append(texts, args[0].Index(i).String())
		}
	}
	return x.call(func(b *Engine) (any, error) { return b.VerifyTexts(texts), nil })
}

func (x *exported) scanRGBA(args []js.Value) any {
	b, err := x.engine()
	if err != nil || len(args) < 3 {
		return later(func() (any, error) { return nil, errors.Join(err, errors.New("scanRGBA(pixels, width, height)")) })
	}
	pix, w, h := bytesOf(args[0]), args[1].Int(), args[2].Int()
	return later(func() (any, error) { return b.ScanRGBA(context.Background(), pix, w, h) })
}

func (x *exported) verifyFile(args []js.Value) any {
	b, err := x.engine()
	if err != nil || len(args) < 2 {
		return later(func() (any, error) { return nil, errors.Join(err, errors.New("verifyFile(name, bytes)")) })
	}
	name, data := args[0].String(), bytesOf(args[1])
	return later(func() (any, error) { return b.VerifyFile(context.Background(), name, data), nil })
}

func (x *exported) sync(args []js.Value) any {
	b, err := x.engine()
	if err != nil || len(args) < 1 {
		return later(func() (any, error) { return nil, errors.Join(err, errors.New("sync(base)")) })
	}
	base := args[0].String()
	return later(func() (any, error) { return b.Sync(context.Background(), base), nil })
}

// bytesOf copies a Uint8Array, Uint8ClampedArray or ArrayBuffer.
func bytesOf(v js.Value) []byte {
	if v.Type() != js.TypeObject {
		return nil
	}
	if v.InstanceOf(js.Global().Get("ArrayBuffer")) {
		v = js.Global().Get("Uint8Array").New(v)
	}
	out := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(out, v)
	return out
}

// idb is the worker's claIDB: load() → Promise<Uint8Array|null>,
// save(Uint8Array) → Promise settled when the IndexedDB transaction
// completed, quarantine() → Promise<string>.
type idb struct{ v js.Value }

func (d idb) Load(context.Context) ([]byte, error) {
	if d.v.Type() != js.TypeObject {
		return nil, errors.New("browser: no claIDB")
	}
	v, err := verifier.Await(d.v.Call("load"))
	if err != nil || v.IsNull() || v.IsUndefined() {
		return nil, err
	}
	return bytesOf(v), nil
}

func (d idb) Save(_ context.Context, data []byte) error {
	if d.v.Type() != js.TypeObject {
		return errors.New("browser: no claIDB")
	}
	u := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(u, data)
	_, err := verifier.Await(d.v.Call("save", u))
	return err
}

func (d idb) Quarantine(context.Context) (string, error) {
	if d.v.Type() != js.TypeObject {
		return "", errors.New("browser: no claIDB")
	}
	v, err := verifier.Await(d.v.Call("quarantine"))
	if err != nil {
		return "", err
	}
	return v.String(), nil
}
