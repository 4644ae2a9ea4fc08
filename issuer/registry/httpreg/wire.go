package httpreg

import (
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
)

// Paths, below a service's base URL.
const (
	PersonPath  = "/v1/persona"    // identity services: RENIEC (DNI), Migraciones (CE)
	StudentPath = "/v1/estudiante" // records service: SIAGIE
	HealthPath  = "/v1/health"
)

// Limits. A student with 14 years of records is ~4 kB of JSON.
const (
	MaxRequestBytes  = 4 << 10
	MaxResponseBytes = 1 << 20
)

// Error codes in an error response.
const (
	CodeNotFound    = "not_found"
	CodeUnsupported = "unsupported_document"
	CodeBadRequest  = "bad_request"
	CodeUnavailable = "unavailable"
	CodeTimeout     = "timeout"
	CodeInternal    = "internal"
)

// lookup is a request body: {"doc":{"type":"DNI","number":"10117410"}}.
type lookup struct {
	Doc idnum.Doc `json:"doc"`
}

type personResponse struct {
	Person *registry.Person `json:"person"`
}

type studentResponse struct {
	Student *registry.Student `json:"student"`
}

type errorResponse struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}
