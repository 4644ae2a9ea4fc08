package ubigeo_test

import (
	"fmt"
	"strings"

	"github.com/minedu-cla/cla/issuer/ubigeo"
)

func ExampleRead() {
	deps := "inei,reniec,departamento\n150000,140000,LIMA\n"
	provs := "inei,reniec,departamento,provincia\n150100,140100,LIMA,LIMA\n"
	dists := "inei,reniec,departamento,provincia,distrito\n" +
		"150101,140101,LIMA,LIMA,LIMA\n" +
		"150132,140137,LIMA,LIMA,SAN JUAN DE LURIGANCHO\n" +
		"150144,NA,LIMA,LIMA,SANTA MARIA DE HUACHIPA\n"
	c, err := ubigeo.Read(strings.NewReader(deps), strings.NewReader(provs), strings.NewReader(dists))
	if err != nil {
		panic(err)
	}
	for _, d := range c.Districts("140100") {
		fmt.Println(d.Code, d.Name)
	}
	fmt.Println(c.Skipped()[0].Reason)
	// Output:
	// 140101 LIMA
	// 140137 SAN JUAN DE LURIGANCHO
	// SANTA MARIA DE HUACHIPA has no RENIEC code
}
