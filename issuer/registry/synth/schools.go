package synth

import (
	"fmt"

	"github.com/minedu-cla/cla/issuer/school"
)

// schoolsPerPlace is how many schools each district has. It is fixed, not
// scaled with the population, so a family's schools do not depend on how
// many families are generated. Schools j ≡ 0 (mod 4) are Inicial only,
// 1 and 2 public Primaria–Secundaria, 3 private with every level.
const schoolsPerPlace = 60

func covers(j int, l school.Level) bool {
	switch j % 4 {
	case 0:
		return l == school.Inicial
	case 3:
		return true
	}
	return l != school.Inicial
}

// pickSchool draws a school of place that teaches level l, other than not.
func pickSchool(r *rng, l school.Level, not int) int {
	for {
		j := 4*r.intn(schoolsPerPlace/4) + pick(r, []int{1, 2, 3})
		if l == school.Inicial {
			j = 4*r.intn(schoolsPerPlace/4) + pick(r, []int{0, 0, 3})
		}
		if j != not {
			return j
		}
	}
}

// school returns school j of place.
func (g *Generator) school(place, j int) school.School {
	idx := uint64(place*schoolsPerPlace + j)
	anexo := 0
	if j%10 == 7 {
		anexo = 1
	}
	return school.School{
		Code:   school.Modular(fmt.Sprintf("%07d-%d", g.schools.forward(idx), anexo)),
		Name:   schoolName(newRNG(g.cfg.Seed, idx, streamSchool), j),
		Ubigeo: places[place].reniec,
	}
}

var patrons = []string{
	"José Carlos Mariátegui", "Micaela Bastidas", "César Vallejo", "Inca Garcilaso de la Vega",
	"María Parado de Bellido", "Túpac Amaru II", "José Olaya Balandra", "Santa Rosa de Lima",
	"San Martín de Porres", "Nuestra Señora de Guadalupe", "Andrés Avelino Cáceres", "Ricardo Palma",
	"Miguel Grau", "Francisco Bolognesi", "José María Arguedas", "Ciro Alegría", "Señor de los Milagros",
	"Virgen de la Candelaria", "Túpac Yupanqui", "Mariscal Ramón Castilla",
}

var private = []string{
	"Los Pinos", "San Agustín", "Santa Ana", "Niño Jesús de Praga", "Cristo Rey", "Nuevo Amanecer",
	"Pitágoras", "Santa Úrsula", "Los Olivos", "Peruano Japonés",
}

func schoolName(r *rng, j int) string {
	switch j % 4 {
	case 0:
		return fmt.Sprintf("I.E.I. N.° %d", r.between(100, 999))
	case 3:
		return "I.E.P. " + pick(r, private)
	}
	if r.chance(500) {
		return fmt.Sprintf("I.E. N.° %d %s", r.between(1000, 99999), pick(r, patrons))
	}
	return "I.E. " + pick(r, patrons)
}
