package server

import (
	"context"
	"strings"

	"github.com/minedu-cla/cla/crypto/vcode"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/mailq"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// composer makes the e-mail of an outbox mail when it is sent: the
// constancia read again from the store, its PDF made again (the same
// bytes as the download), the text in Spanish with English and Quechua
// after it.
func composer(svc *issuance.Service, publicURL string) mailq.Compose {
	verifyURL := strings.TrimRight(publicURL, "/") + "/verificar"
	return func(ctx context.Context, m *store.Mail) (*mailq.Message, error) {
		var c *constancia.Issued
		if err := svc.Store.View(ctx, func(tx store.Tx) (err error) {
			c, err = tx.Constancia(m.Constancia)
			return err
		}); err != nil {
			return nil, err
		}
		pdf, err := svc.PDF(c)
		if err != nil {
			return nil, err
		}
		return message(m.To, c, pdf, verifyURL), nil
	}
}
func message(to string, c *constancia.Issued, pdf []byte, verifyURL string) *mailq.Message {
	code := vcode.Format(c.Code)
	var body strings.Builder
	for i, l := range i18n.Langs {
		if i > 0 {
			body.WriteString("\n-- " + i18n.T(l, "mail.language") + " --\n\n")
		}
		body.WriteString(i18n.T(l, "mail.body", c.Student.FullName(), c.Student.DocType.String(), c.Student.DocNumber,
			code, verifyURL))
		body.WriteString("\n")
	}
	return &mailq.Message{To: []string{to}, Subject: i18n.T(i18n.ES, "mail.subject", code), Text: body.String(),
		Attachments: []mailq.Attachment{{Name: "constancia-" + code + ".pdf", ContentType: "application/pdf", Data: pdf}}}
}
