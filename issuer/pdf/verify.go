package pdf

import (
	"strconv"

	"github.com/go-pdf/fpdf"
)

// qrName is the QR code's image name in the PDF.
const qrName = "qr"

// verification is the QR code and, beside it, the issue time and how to
// check the constancia: it closes a one-page constancia, and sits under
// the statement on page 1 of a longer one (Render), so that page 1 alone
// verifies. It is drawn once, kept whole: a verifier scans one image.
func (r *renderer) verification(qr qrImage) {
	side := qrSide(qr.modules)
	textX := marginX + side + qrGap
	textW := contentW - side - qrGap
	type para struct {
		styledText
		lines []string
	}
	var paras []para
	textH := 0.0
	for _, t := range r.verifyText() {
		r.font(t.style, t.size)
		p := para{t, r.wrap(t.text, textW-t.indent)}
		paras = append(paras, p)
		textH += float64(len(p.lines))*r.lineH() + paraGap
	}
	r.room(max(side, textH) + ruleGap)
	r.pen(colourGrey)
	r.f.SetLineWidth(frameW)
	r.f.Line(marginX, r.y, pageW-marginX, r.y)
	r.y += ruleGap
	r.f.ImageOptions(qrName, marginX, r.y, side, side, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	if r.y+side > bodyEnd+eps {
		r.fail()
	}
	y := r.y + max(0, (side-textH)/2)
	for _, p := range paras {
		r.font(p.style, p.size)
		if p.indent > 0 {
			r.line(textX, y, p.indent, "•", left, bodyEnd)
		}
		y += r.lines(textX+p.indent, y, textW-p.indent, p.lines, left, bodyEnd) + paraGap
	}
	r.y += max(side, textH)
}

// qrSide is the printed width of the code with its quiet zone, for a code
// of modules modules (quiet zone included): the symbol is qrMinMM wide, or
// more so that a module is at least qrModMM, up to qrMaxMM.
func qrSide(modules int) float64 {
	symbol := float64(modules - 2*qrQuiet)
	module := max(qrMinMM/symbol, qrModMM)
	module = min(module, qrMaxMM/symbol)
	return float64(modules) * module
}

type styledText struct {
	style  string
	size   float64
	indent float64 // a bulleted item
	text   string
}

// verifyText is the block beside the QR code.
func (r *renderer) verifyText() []styledText {
	d := r.d
	return []styledText{
		{bold, sizeVerifyH, 0, "VERIFICACIÓN DE LA CONSTANCIA"},
		{bold, sizeVerify, 0, "Código virtual: " + r.code},
		{regular, sizeVerify, 0, "Fecha y hora de emisión: " + limaTime(d.issuedAt()) + "."},
		{regular, sizeVerify, bulletW, "En línea: ingrese el código virtual en " + d.verifyURL() + "."},
		{regular, sizeVerify, bulletW, "Con el teléfono: escanee el código QR con la cámara. Se abre el verificador del " +
			"Ministerio de Educación, que comprueba la firma digital en el propio teléfono y no envía los datos de la constancia."},
		{regular, sizeVerify, bulletW, "Sin conexión: la aplicación verificadora del Ministerio hace lo mismo sin internet, " +
			"en la computadora."},
		{regular, sizeVerify, bulletW, "Archivo: este PDF lleva adjunto el registro completo de calificaciones, " +
			"firmado (" + AttachmentName(d.Record.Code) + "). El código QR impreso y ese registro se comprueban " +
			"el uno al otro: si alguien cambiara una sola nota del archivo, ya no coincidiría con el código."},
		{regular, sizeVerify, 0, "Documento emitido y firmado digitalmente por el Ministerio de Educación."},
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
