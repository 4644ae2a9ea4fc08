// Package ubigeo holds Peru's geographic codes as RENIEC numbers them: the
// department, province and district of a DNI address, 6 digits "DDPPdd".
//
// RENIEC's codes differ from INEI's (Lima is RENIEC 14, INEI 15; Callao
// RENIEC 24, INEI 07). The request form asks for the DNI address, so the
// catalogue is keyed by RENIEC code and keeps INEI's only for reference.
//
// A Catalogue is loaded from three CSV files (departments, provinces,
// districts) in the format of the public ubigeo-peru-aumentado list, read as
// they are, so a deployment can point it at an updated official file.
package ubigeo
