package assets

import "embed"

// Templates are the issuer's web pages (html/template), one file a page
// plus the layout; terms/<version>/<lang>.html hold every published
// version of the terms in each language.
//
//go:embed templates/*.html templates/terms/*/*.html
var Templates embed.FS

// Static holds the stylesheet, the optional script and the icon the pages
// load (served under /static/).
//
//go:embed static/* icon.png
var Static embed.FS

// WebVerify is the browser verifier served under /V: its page script,
// service worker, manifest and icon, and (in gen/, written by make wasm,
// never committed) the WebAssembly engine and Go's wasm_exec.js.
//
//go:embed webverify
var WebVerify embed.FS
