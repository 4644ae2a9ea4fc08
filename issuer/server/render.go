package server

import (
	"fmt"
	"strings"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/pdf"
)

// renderer makes constancia PDFs that point people to this issuer's
// verify page. The QR code is the link form of the stored "CLA1:" text
// (credential.Link): a phone's camera opens the browser verifier at
// publicURL/V with the signed bytes in the fragment. publicURL was
// checked by checkPublicURL.
func renderer(publicURL string) issuance.Renderer {
	verify := strings.TrimRight(publicURL, "/") + "/verificar"
	return func(rec *credential.Record, qr string, doc []byte) ([]byte, error) {
		link, err := credential.Link(publicURL, qr)
		if err != nil {
			return nil, err
		}
		return pdf.Render(&pdf.Document{Record: rec, QRText: link, RecordFile: doc, VerifyURL: verify})
	}
}

// checkPublicURL: the QR code on every PDF links to the public URL's
// /V, so it must be an http or https address of a host, without a path.
func checkPublicURL(publicURL string) error {
	if _, err := credential.LinkBase(publicURL); err != nil {
		return fmt.Errorf("public URL %q: it must be http(s)://HOST[:PORT] with no path, as the constancia's QR code links to %s there: %w",
			publicURL, credential.LinkPath, err)
	}
	return nil
}
