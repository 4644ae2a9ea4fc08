package assets

import "embed"

// Templates are the issuer's web pages (html/template), one file a page
// plus the layout; terms_*.html hold the terms in each language.
//
//go:embed templates/*.html
var Templates embed.FS

// Static holds the stylesheet, the optional script and the icon the pages
// load (served under /static/).
//
//go:embed static/* icon.png
var Static embed.FS
