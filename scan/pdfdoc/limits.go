package pdfdoc

// Caps on what a PDF may make the verifier do.
const (
	// MaxPDF caps the file: a constancia is ~100 KB, a scanned 10-page
	// application folder ~20 MB.
	MaxPDF = 64 << 20
	// MaxPages caps the pages read.
	MaxPages = 200
	// MaxAttachments and MaxAttachment cap embedded files; the signed
	// record is under 256 KiB.
	MaxAttachments = 16
	MaxAttachment  = 1 << 20
	// MaxImagePixels caps one image: a 600-dpi A4 scan is 35 Mpx.
	MaxImagePixels = 40_000_000
	// MaxImageBytes caps one encoded image.
	MaxImageBytes = 32 << 20
	// MaxStreamBytes caps what one stream other than an image may inflate
	// to (page content, fonts, metadata, object streams): a text-heavy
	// page's content is ~100 KB, an embedded font ~1 MB. A 256 KB Flate
	// stream of zeros inflates to 256 MiB; pdfcpu's own default is 512 MiB.
	MaxStreamBytes = 8 << 20
	// MaxStreamsTotal caps the inflated bytes of all such streams together.
	MaxStreamsTotal = 64 << 20
)
