package verifier

import (
	"testing"

	"github.com/minedu-cla/cla/scan/pdfdoc"
)

// TestCapsMatchPDFReader: the caps input.go writes out, for builds without
// the PDF reader, are pdfdoc's, and so is the PDF sniff.
func TestCapsMatchPDFReader(t *testing.T) {
	if MaxFile != pdfdoc.MaxPDF || maxImagePixels != pdfdoc.MaxImagePixels {
		t.Errorf("caps %d, %d; pdfdoc has %d, %d", MaxFile, maxImagePixels, pdfdoc.MaxPDF, pdfdoc.MaxImagePixels)
	}
	for _, data := range []string{"", "%PDF-1.7\n", "junk%PDF-", string(make([]byte, 1020)) + "%PDF-", string(make([]byte, 1021)) + "%PDF-", "PDF-1.4"} {
		if IsPDF([]byte(data)) != pdfdoc.IsPDF([]byte(data)) {
			t.Errorf("IsPDF(%q) = %v, pdfdoc says otherwise", data, IsPDF([]byte(data)))
		}
	}
}
