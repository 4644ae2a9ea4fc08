package school_test

import (
	"fmt"

	"github.com/minedu-cla/cla/issuer/school"
)

func ExampleScaleFor() {
	for _, year := range []int{2018, 2019, 2020} {
		fmt.Print(year)
		for _, g := range []school.Grade{{Level: school.Inicial, N: 4}, {Level: school.Primaria, N: 3}, {Level: school.Secundaria, N: 1}, {Level: school.Secundaria, N: 4}} {
			s, _ := school.ScaleFor(year, g)
			fmt.Printf(" %v:%v", g, s)
		}
		fmt.Println()
	}
	// Output:
	// 2018 I4:A/B/C P3:AD/A/B/C S1:00-20 S4:00-20
	// 2019 I4:AD/A/B/C P3:AD/A/B/C S1:AD/A/B/C S4:00-20
	// 2020 I4:AD/A/B/C P3:AD/A/B/C S1:AD/A/B/C S4:AD/A/B/C
}

func ExampleAreas() {
	for _, a := range school.Areas(school.CNEB, school.Secundaria) {
		fmt.Println(a, a.Name())
	}
	// Output:
	// COM Comunicación
	// MAT Matemática
	// CCSS Ciencias Sociales
	// DPCC Desarrollo Personal, Ciudadanía y Cívica
	// CYT Ciencia y Tecnología
	// AYC Arte y Cultura
	// EF Educación Física
	// ING Inglés
	// REL Educación Religiosa
	// EPT Educación para el Trabajo
}
