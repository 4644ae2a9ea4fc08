package server

import (
	"strings"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/pdf"
)

// renderer makes constancia PDFs that point people to this issuer's
// verify page.
func renderer(publicURL string) issuance.Renderer {
	verify := strings.TrimRight(publicURL, "/") + "/verificar"
	return func(rec *credential.Record, qr string, doc []byte) ([]byte, error) {
		return pdf.Render(&pdf.Document{Record: rec, QRText: qr, RecordFile: doc, VerifyURL: verify})
	}
}
