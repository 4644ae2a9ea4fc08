package web

import "net/http"

// StatsSource is filled in when the statistics package lands.
type StatsSource = any

func (s *server) statsRoutes(mux *http.ServeMux) {}
