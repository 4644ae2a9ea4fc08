package server

import (
	"context"
	"fmt"

	"github.com/minedu-cla/cla/issuer/registry/dataset"
	"github.com/minedu-cla/cla/issuer/registry/synth"
)

// DemoIdentities returns lines describing the first n identities of the
// embedded synthetic population that lead to a constancia, for people
// trying the development issuer (docs/DEMO.md has them all).
func DemoIdentities(n int) []string {
	g, err := synth.New(synth.DefaultConfig())
	if err != nil {
		return nil
	}
	reg, err := dataset.Demo()
	if err != nil {
		return nil
	}
	var out []string
	for _, c := range g.Cases() {
		if len(out) == n {
			break
		}
		if c.Want != synth.WantIssue {
			continue
		}
		line := c.Path + ": "
		p, err := reg.Person(context.Background(), c.Student)
		if err != nil {
			continue
		}
		line += fmt.Sprintf("%s %s · padre %q · madre %q · ubigeo %s", c.Student.Kind, c.Student.Number,
			p.Father.Names, p.Mother.Names, p.Ubigeo)
		if !c.Guardian.IsZero() {
			gp, err := reg.Person(context.Background(), c.Guardian)
			if err != nil {
				continue
			}
			line += fmt.Sprintf("; apoderado %s %s · padre %q · madre %q · ubigeo %s", c.Guardian.Kind, c.Guardian.Number,
				gp.Father.Names, gp.Mother.Names, gp.Ubigeo)
		}
		out = append(out, line)
	}
	return out
}
