package synth

import "github.com/minedu-cla/cla/issuer/ubigeo"

// place is a real district, by its RENIEC and INEI codes, with its
// department and province. The synthetic population lives in these few
// places; Export writes them as the demo's own ubigeo catalogue, in the
// format of the official list.
type place struct {
	reniec, inei         ubigeo.Code
	dep, depINEI         string
	prov, provINEI, dist string
}

var places = []place{
	{"140101", "150101", "LIMA", "150000", "LIMA", "150100", "LIMA"},
	{"140137", "150132", "LIMA", "150000", "LIMA", "150100", "SAN JUAN DE LURIGANCHO"},
	{"140106", "150110", "LIMA", "150000", "LIMA", "150100", "COMAS"},
	{"140141", "150142", "LIMA", "150000", "LIMA", "150100", "VILLA EL SALVADOR"},
	{"140103", "150103", "LIMA", "150000", "LIMA", "150100", "ATE"},
	{"140115", "150122", "LIMA", "150000", "LIMA", "150100", "MIRAFLORES"},
	{"140126", "150135", "LIMA", "150000", "LIMA", "150100", "SAN MARTIN DE PORRES"},
	{"140105", "150106", "LIMA", "150000", "LIMA", "150100", "CARABAYLLO"},
	{"240101", "070101", "CALLAO", "070000", "CALLAO", "070100", "CALLAO"},
	{"240106", "070106", "CALLAO", "070000", "CALLAO", "070100", "VENTANILLA"},
	{"040101", "040101", "AREQUIPA", "040000", "AREQUIPA", "040100", "AREQUIPA"},
	{"040103", "040104", "AREQUIPA", "040000", "AREQUIPA", "040100", "CERRO COLORADO"},
	{"070101", "080101", "CUSCO", "080000", "CUSCO", "080100", "CUSCO"},
	{"070105", "080105", "CUSCO", "080000", "CUSCO", "080100", "SAN SEBASTIAN"},
	{"200901", "211101", "PUNO", "210000", "SAN ROMAN", "211100", "JULIACA"},
	{"200101", "210101", "PUNO", "210000", "PUNO", "210100", "PUNO"},
	{"190101", "200101", "PIURA", "200000", "PIURA", "200100", "PIURA"},
	{"190103", "200104", "PIURA", "200000", "PIURA", "200100", "CASTILLA"},
	{"120101", "130101", "LA LIBERTAD", "130000", "TRUJILLO", "130100", "TRUJILLO"},
	{"130101", "140101", "LAMBAYEQUE", "140000", "CHICLAYO", "140100", "CHICLAYO"},
	{"110101", "120101", "JUNIN", "120000", "HUANCAYO", "120100", "HUANCAYO"},
	{"110113", "120114", "JUNIN", "120000", "HUANCAYO", "120100", "EL TAMBO"},
	{"150101", "160101", "LORETO", "160000", "MAYNAS", "160100", "IQUITOS"},
	{"050101", "050101", "AYACUCHO", "050000", "HUAMANGA", "050100", "AYACUCHO"},
	{"021301", "021801", "ANCASH", "020000", "SANTA", "021800", "CHIMBOTE"},
	{"021305", "021806", "ANCASH", "020000", "SANTA", "021800", "NEPEÑA"},
	{"030301", "030201", "APURIMAC", "030000", "ANDAHUAYLAS", "030200", "ANDAHUAYLAS"},
	{"060101", "060101", "CAJAMARCA", "060000", "CAJAMARCA", "060100", "CAJAMARCA"},
	{"250101", "250101", "UCAYALI", "250000", "CORONEL PORTILLO", "250100", "CALLERIA"},
}

// pickPlace makes Lima and Callao as crowded as they are: about a third of
// Peru's students live there.
func pickPlace(r *rng) int {
	if r.chance(400) {
		return r.intn(10) // Lima and Callao come first
	}
	return r.intn(len(places))
}
