package school

import "fmt"

// Curriculum is the national curriculum a year was taught under.
type Curriculum uint8

// Curricula.
const (
	DCN  Curriculum = iota + 1 // Diseño Curricular Nacional (2009)
	CNEB                       // Currículo Nacional de la Educación Básica (2016)
)

// String returns "DCN" or "CNEB".
func (c Curriculum) String() string {
	switch c {
	case DCN:
		return "DCN"
	case CNEB:
		return "CNEB"
	}
	return fmt.Sprintf("Curriculum(%d)", c)
}

// CurriculumFor returns the curriculum of year and grade g (see the package
// comment for the rule).
func CurriculumFor(year int, g Grade) Curriculum {
	if year >= 2020 || (year == 2019 && g.Index() <= lastCNEB2019) {
		return CNEB
	}
	return DCN
}

// lastCNEB2019 is the highest grade taught under the CNEB in 2019: 1.° de
// secundaria.
var lastCNEB2019 = Grade{Secundaria, 1}.Index()

// Area is a curricular area or competencia transversal, by its wire code.
type Area string

// Areas. Codes shared by both curricula name the same area.
const (
	Matematica   Area = "MAT"
	Comunicacion Area = "COM"
	Ingles       Area = "ING"
	PersonalSoc  Area = "PS"
	EdFisica     Area = "EF"
	EdReligiosa  Area = "REL"
	EdTrabajo    Area = "EPT"
	// DCN only.
	Arte        Area = "ART"
	CienciaAmb  Area = "CA"
	HistGeoEco  Area = "HGE"
	FormCiud    Area = "FCC"
	PersFamilia Area = "PFRH"
	CienciaTAmb Area = "CTA"
	// CNEB only.
	ArteCultura Area = "AYC"
	CienciaTec  Area = "CYT"
	CienciasSoc Area = "CCSS"
	DPCC        Area = "DPCC"
	Psicomotriz Area = "PSI"
	TIC         Area = "TIC" // competencia transversal
	Autonomo    Area = "GAA" // competencia transversal
)

var areaNames = map[Area]string{
	Matematica:   "Matemática",
	Comunicacion: "Comunicación",
	Ingles:       "Inglés",
	PersonalSoc:  "Personal Social",
	EdFisica:     "Educación Física",
	EdReligiosa:  "Educación Religiosa",
	EdTrabajo:    "Educación para el Trabajo",
	Arte:         "Arte",
	CienciaAmb:   "Ciencia y Ambiente",
	HistGeoEco:   "Historia, Geografía y Economía",
	FormCiud:     "Formación Ciudadana y Cívica",
	PersFamilia:  "Persona, Familia y Relaciones Humanas",
	CienciaTAmb:  "Ciencia, Tecnología y Ambiente",
	ArteCultura:  "Arte y Cultura",
	CienciaTec:   "Ciencia y Tecnología",
	CienciasSoc:  "Ciencias Sociales",
	DPCC:         "Desarrollo Personal, Ciudadanía y Cívica",
	Psicomotriz:  "Psicomotriz",
	TIC:          "Se desenvuelve en entornos virtuales generados por las TIC",
	Autonomo:     "Gestiona su aprendizaje de manera autónoma",
}

// Name returns the area's official Spanish name, or "" for an unknown code.
func (a Area) Name() string { return areaNames[a] }

// areas lists, per curriculum and level, the areas in the order the
// constancia prints them.
var areas = map[Curriculum][4][]Area{
	DCN: {
		Inicial:    {Matematica, Comunicacion, PersonalSoc, CienciaAmb},
		Primaria:   {Matematica, Comunicacion, Arte, PersonalSoc, EdFisica, EdReligiosa, CienciaAmb},
		Secundaria: {Matematica, Comunicacion, Ingles, Arte, HistGeoEco, FormCiud, PersFamilia, EdFisica, EdReligiosa, CienciaTAmb, EdTrabajo},
	},
	CNEB: {
		Inicial:    {PersonalSoc, Psicomotriz, Comunicacion, Matematica, CienciaTec},
		Primaria:   {PersonalSoc, EdFisica, Comunicacion, ArteCultura, Ingles, Matematica, CienciaTec, EdReligiosa},
		Secundaria: {Comunicacion, Matematica, CienciasSoc, DPCC, CienciaTec, ArteCultura, EdFisica, Ingles, EdReligiosa, EdTrabajo},
	},
}

// Transversal lists the competencias transversales, in print order.
var Transversal = []Area{TIC, Autonomo}

// Areas returns the areas of curriculum c at level l, in print order. The
// slice is shared: do not modify it.
func Areas(c Curriculum, l Level) []Area {
	if l < Inicial || l > Secundaria {
		return nil
	}
	return areas[c][l]
}

// HasTransversal reports whether the competencias transversales are graded
// in year for grade g.
func HasTransversal(year int, g Grade) bool {
	return g.Level != Inicial && CurriculumFor(year, g) == CNEB
}
