// Package assets embeds what every part of the system ships with:
// translations now; fonts, icons, templates and terms as they arrive.
package assets

import "embed"

// I18n holds one JSON message catalog per language (es.json, en.json,
// qu.json): flat maps from message key to a fmt format string.
//
//go:embed i18n/*.json
var I18n embed.FS

// Roots lists the root public keys a production build pins (empty in
// development builds).
//
//go:embed trust/roots.txt
var Roots string
