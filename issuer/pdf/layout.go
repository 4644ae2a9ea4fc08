package pdf

// Layout: every size is in millimetres (fpdf's unit here) unless it says
// points; font sizes are in points (1 pt = 0.3528 mm).
const (
	pageW = 210.0 // A4
	pageH = 297.0

	marginX   = 15.0 // left and right
	marginTop = 12.0
	contentW  = pageW - 2*marginX // 180

	// footerTop is where the slim footer of every page (code, page
	// number) starts; the body stops bodyGap above it.
	footerTop = pageH - 11.0
	bodyGap   = 2.0
	bodyEnd   = footerTop - bodyGap

	// ptMM converts points to millimetres.
	ptMM = 25.4 / 72
	// lineSpacing is the line height as a multiple of the font size.
	lineSpacing = 1.22
	// ascent is DejaVu's ascender (760 of 1000 units): from the top of a
	// line's box to its baseline, with the leading split above and below.
	ascent = 0.76
	// eps absorbs float rounding in the bounds checks.
	eps = 0.01
)

// Font sizes, in points.
const (
	sizeBrand    = 9.0
	sizeTitle    = 15.0
	sizeSubtitle = 9.5
	sizeCode     = 10.0
	sizeBody     = 9.5
	sizeName     = 12.5
	sizeSection  = 9.0
	sizeCell     = 7.5
	sizeResult   = 6.5 // situación final: "REQUIERE RECUPERACIÓN" in a mark column
	sizeLegend   = 7.0
	sizeNote     = 7.5
	sizeFooter   = 7.0
	sizeVerifyH  = 8.5
	sizeVerify   = 7.5
	sizeRunning  = 7.5 // the header of pages 2 onwards
)

// Vertical rhythm and the brand band.
const (
	brandPeruW     = 17.0 // the red PERÚ box
	brandMinistryW = 52.0 // the grey MINISTERIO DE EDUCACIÓN box
	titleGap       = 6.0  // between the band and the title
	nameGap        = 1.5  // around the student's name
	legendGap      = 1.2  // between a table and its list of schools
	headingGap     = 0.5  // under OBSERVACIONES, LEYENDA
	ruleGap        = 2.0  // under the rule above the QR code
	paraGap        = 0.8  // between the paragraphs beside the QR code
	footerGap      = 1.0  // between the footer rule and its text
	footerLimit    = pageH - 4.0
)

// Tables: one label column, then one column a school year. Every table
// uses the same column widths, so the years of different levels line up.
const (
	labelW     = 56.0
	maxCols    = 7                             // 6 grades of primaria and a repeat; more years continue in another table
	colW       = (contentW - labelW) / maxCols // ≈ 17.7 mm
	cellPadX   = 1.2                           // text inset from a cell's side
	cellPadY   = 0.6                           // and from its top and bottom
	resultPadX = 0.6                           // "RECUPERACIÓN" (6.5 pt) is 16.3 mm: TestResultFits
	ruleW      = 0.2                           // cell borders
	frameW     = 0.35                          // section bars and the rule above the verification block
	sectionH   = 6.0                           // "NIVEL PRIMARIA" bar
	gapAfter   = 3.0                           // below a table or a section
	bulletW    = 3.5                           // indent of observation lines
	brandH     = 9.0                           // the PERÚ | MINISTERIO DE EDUCACIÓN band
)

// The QR code. docs/DESIGN.md asks for ≥ 35 mm: at 300 dpi a version-17 code
// (85 modules) then has ≥ 4.8 px a module, and scanners need ≥ 4.
const (
	qrMinMM = 36.0 // symbol width, without the quiet zone
	qrModMM = 0.42 // smallest module (5 px at 300 dpi): larger versions grow the symbol
	qrMaxMM = 60.0 // and it grows at most to this
	qrGap   = 5.0  // between the QR code and the text beside it
	qrPx    = 8    // pixels a module in the PNG: crisp when a viewer scales it
	qrQuiet = 4    // modules of quiet zone each side (ISO/IEC 18004)
)

// Colours (RGB).
var (
	colourRed    = [3]int{200, 16, 46}   // the Peruvian state's brand red
	colourGrey   = [3]int{88, 88, 90}    // the ministry half of the brand band
	colourInk    = [3]int{0, 0, 0}       // text
	colourMuted  = [3]int{85, 85, 85}    // footers and legends
	colourRule   = [3]int{110, 110, 110} // cell borders
	colourHead   = [3]int{222, 226, 232} // year header rows
	colourGroup  = [3]int{241, 243, 246} // "ÁREAS CURRICULARES" bands
	colourResult = [3]int{248, 248, 248} // situación final row
	colourWhite  = [3]int{255, 255, 255}
)
