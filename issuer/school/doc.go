// Package school models a student's record in Educación Básica Regular as
// SIAGIE keeps it and the constancia shows it, from 2013 on: levels and
// grades, the grading scale of each year and grade, the curricular areas of
// the two curricula (DCN and CNEB), situación final, observations, the state
// of each year's acta, and the school (código modular and anexo).
//
// Rules of thumb fixed here (the sources are the ministry's norms):
//   - Scales: 2013–2018 Inicial A/B/C, Primaria AD/A/B/C, Secundaria 00–20;
//     2019 AD/A/B/C up to 1.° de secundaria and 00–20 from 2.°; from 2020
//     AD/A/B/C everywhere.
//   - Curriculum: the CNEB is taken to apply exactly where the letter scale
//     AD/A/B/C replaced the older scales (Inicial and Primaria from 2019,
//     Secundaria 1.° in 2019 and every grade from 2020); the DCN before. The
//     competencias transversales are graded only in CNEB years of Primaria
//     and Secundaria.
package school

import "errors"

// FirstYear is the first school year SIAGIE records and a constancia shows.
const FirstYear = 2013

// ErrInvalid is wrapped by every validation error in this package.
var ErrInvalid = errors.New("invalid school record")
