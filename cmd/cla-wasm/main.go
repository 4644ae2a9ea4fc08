//go:build js && wasm

// Command cla-wasm is the verification engine of the browser verifier
// (docs/WEBVERIFY.md), built with GOOS=js GOARCH=wasm by make wasm: it
// installs globalThis.claEngine (verifier/browser) for the page's Web
// Worker and waits for its calls. Built with the clapdf tag
// it is cla-pdf.wasm, the same engine with the PDF reader.
package main

import (
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/browser"
)

func main() {
	browser.Export("claEngine", verifier.PDFSupport)
	select {}
}
