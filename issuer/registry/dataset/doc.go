// Package dataset is an in-memory registry loaded from a file: persons as
// RENIEC and Migraciones answer for them, students as SIAGIE does. It is
// the issuer's default registry (Default loads the synthetic demo embedded
// in assets/demo), and a deployment can load its own file for training or
// tests.
//
// The file is JSON Lines, UTF-8: a header line, then one record a line.
//
//	{"format":"cla-registry-dataset/1","students":120,"today":"2026-03-01","seed":1}
//	{"person":{...registry.Person...}}
//	{"student":{...registry.Student...}}
//
// Reading is strict: no unknown fields, no duplicate keys, every record
// valid (Validate), every document unique, lines and counts capped.
package dataset
