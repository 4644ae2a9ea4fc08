package assets

import "embed"

// Fonts holds the PDF fonts: DejaVu Sans Condensed and its bold (version
// 2.37, Debian fonts-dejavu-extra, licence in fonts/LICENSE) as TrueType
// files, and the same faces cut to the Windows-1252 characters as fpdf
// font definitions (*-cp1252.json with the zlib-compressed font *.z), which
// issuer/pdf generates and embeds without parsing them on every document.
//
//go:embed fonts/*
var Fonts embed.FS
