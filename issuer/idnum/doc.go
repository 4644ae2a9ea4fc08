// Package idnum parses, validates and normalises the identity numbers the
// issuer accepts: the DNI (Documento Nacional de Identidad) with its check
// character, the carné de extranjería (CE) and SIAGIE's código del estudiante.
//
// Errors never echo the input: an identity number is personal data and error
// messages end up in logs.
package idnum
