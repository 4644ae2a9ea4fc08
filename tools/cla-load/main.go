// Command cla-load drives a running issuer on loopback for a bounded time
// and prints throughput, latency percentiles (p50, p90, p99, max) and
// error counts for each scenario, one after the other:
//
//   - request-api: POST /api/v1/solicitudes with the demo identities in
//     turn (every request the embedded demo population lets through, see
//     docs/DEMO.md). The first round issues; later rounds are the same
//     people asking again, answered 201 with the existing constancia. A
//     student answered with a different code than before is an error.
//   - request-form: the request pages as a browser without JavaScript goes
//     through them (terms, form, preview, issue, done); one op is the six
//     requests of one person.
//   - verify-api: GET /api/v1/constancias/{code} over the codes obtained.
//   - verify-page: POST /verificar, the verify page, with the same codes.
//
// The issuer must run with rate limits off (cla-issuer -no-rate-limits):
// the limits are per client address, and every worker here shares one.
// Start one and run it with `make load` (scripts/load.sh).
//
// With -preload N (and -data DIR or -database URL) it instead fills a
// stopped issuer's store with N constancias of a synthetic population,
// signed and audited, without PDFs or e-mails: make load-scale compares
// the issuer at a thousand and at a million stored constancias.
//
// Exit status: 0, 1 when an operation failed (the report says which), 2
// for a usage error.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/minedu-cla/cla/issuer/lima"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	for _, a := range args {
		if a == "-preload" || strings.HasPrefix(a, "-preload=") || a == "--preload" || strings.HasPrefix(a, "--preload=") {
			return preload(ctx, args, stdout, stderr)
		}
	}
	fs := flag.NewFlagSet("cla-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o Options
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:8080", "the issuer's base URL (several, comma-separated: replicas, taken in turn by the clients)")
	fs.DurationVar(&o.Duration, "duration", 20*time.Second, "how long each scenario runs")
	fs.IntVar(&o.Concurrency, "c", 8, "concurrent clients a scenario")
	fs.DurationVar(&o.Timeout, "timeout", 30*time.Second, "limit of one request")
	list := fs.String("scenarios", strings.Join(DefaultScenarios, ","), "scenarios to run, in order")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "cla-load: unexpected arguments:", fs.Args())
		return 2
	}
	for _, n := range strings.Split(*list, ",") {
		if n = strings.TrimSpace(n); n != "" {
			o.Scenarios = append(o.Scenarios, n)
		}
	}
	ids, err := demoIdentities(time.Now().In(lima.Zone))
	if err != nil {
		fmt.Fprintln(stderr, "cla-load:", err)
		return 1
	}
	rep, err := Run(ctx, o, ids)
	if rep != nil {
		write := rep.writeText
		if *asJSON {
			write = rep.writeJSON
		}
		if werr := write(stdout); werr != nil && err == nil {
			err = werr
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "cla-load:", err)
		return 1
	}
	if n := rep.Errors(); n > 0 {
		fmt.Fprintf(stderr, "cla-load: %d operation(s) failed\n", n)
		return 1
	}
	return 0
}
