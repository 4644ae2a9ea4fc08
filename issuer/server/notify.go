package server

import (
	"context"
	"strings"

	"github.com/minedu-cla/cla/crypto/vcode"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/mailq"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// notifier composes the e-mail of a constancia — in Spanish, with English
// and Quechua after it, the PDF attached — and hands it to the durable
// queue (Enqueue returns once it is on disk).
func notifier(q *mailq.Queue, publicURL string) issuance.Notifier {
	return func(_ context.Context, to string, c *constancia.Issued, pdf []byte) error {
		_, err := q.Enqueue(message(to, c, pdf, strings.TrimRight(publicURL, "/")+"/verificar"))
		return err
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
