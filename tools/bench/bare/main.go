// Command bare is the baseline of the verify-by-code load test: a bare
// net/http handler returning a fixed JSON body, on the same machine, so the
// issuer's throughput can be stated as a ratio of it.
package main

import (
	"flag"
	"log"
	"net/http"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18099", "listen address")
	flag.Parse()
	body := []byte(`{"status":"valid","code":"7K3M-9QXT-2HBN-M","issued_at":"2026-11-28T15:00:00Z"}` + "\n")
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
