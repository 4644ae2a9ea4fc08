package assets

import (
	"embed"
	"io/fs"
)

//go:embed ubigeo/*.csv ubigeo/LICENSE ubigeo/SOURCE.md
var ubigeoFiles embed.FS

// Ubigeo is Peru's whole ubigeo catalogue (25 departments, 196 provinces,
// 1,893 districts; see ubigeo/SOURCE.md for its source and licence): the
// three CSV files at the root, for issuer/ubigeo.LoadFS. It is the
// issuer's default; a deployment may load an updated list instead.
func Ubigeo() fs.FS {
	sub, err := fs.Sub(ubigeoFiles, "ubigeo")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}
