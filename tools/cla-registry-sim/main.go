// Command cla-registry-sim serves synthetic RENIEC-, Migraciones- and
// SIAGIE-like registries over HTTP (docs/REGISTRIES.md), with injectable
// latency, errors and outages, for integration tests and demos.
//
//	cla-registry-sim                               # the embedded demo, on 127.0.0.1:8090
//	cla-registry-sim -students 1000000 -seed 7     # a million synthetic students
//	cla-registry-sim -latency 2s -error-rate 0.3   # a bad day
//	cla-registry-sim -export DIR                   # write a population as files and exit
//	cla-registry-sim -demo-table                   # print docs/DEMO.md's table and exit
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/sim"
	"github.com/minedu-cla/cla/issuer/registry/synth"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// options are the command line.
type options struct {
	addr, today, export string
	demoTable, quiet    bool
	cfg                 sim.Config
}

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("cla-registry-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8090", "listen `address`")
	fs.IntVar(&o.cfg.Students, "students", 0, "serve a synthetic population of `n` students (0: the embedded demo)")
	fs.Uint64Var(&o.cfg.Seed, "seed", synth.DefaultSeed, "seed of the synthetic population")
	fs.StringVar(&o.today, "today", synth.DefaultToday.String(), "reference `date` of the synthetic population")
	fs.StringVar(&o.cfg.DatasetFile, "dataset", "", "serve a dataset `file` instead")
	fs.DurationVar(&o.cfg.Faults.Latency, "latency", 0, "add this `duration` to every lookup")
	fs.DurationVar(&o.cfg.Faults.Jitter, "jitter", 0, "plus up to this `duration`")
	fs.Float64Var(&o.cfg.Faults.ErrorRate, "error-rate", 0, "answer this `fraction` of lookups with 503")
	fs.BoolVar(&o.cfg.Faults.Outage, "outage", false, "start down (POST /_sim/outage?on=false brings it up)")
	fs.Uint64Var(&o.cfg.Faults.Seed, "fault-seed", 1, "seed of the injected errors and jitter")
	fs.StringVar(&o.export, "export", "", "write the population (-seed, -students, default the demo) to `dir` and exit")
	fs.BoolVar(&o.demoTable, "demo-table", false, "print the demo identities table (docs/DEMO.md) and exit")
	fs.BoolVar(&o.quiet, "quiet", false, "do not log requests")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	today, err := registry.ParseDate(o.today)
	o.cfg.Today = today
	return o, err
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "cla-registry-sim:", err)
		}
		return 2
	}
	switch {
	case o.export != "":
		err = export(o)
	case o.demoTable:
		err = demoTable(stdout)
	default:
		err = serve(o, stdout, stderr)
	}
	if err != nil {
		fmt.Fprintln(stderr, "cla-registry-sim:", err)
		return 1
	}
	return 0
}

func export(o options) error {
	cfg := synth.DefaultConfig()
	if o.cfg.Students > 0 {
		cfg = synth.Config{Seed: o.cfg.Seed, Students: o.cfg.Students, Today: o.cfg.Today}
	}
	return synth.Export(o.export, cfg)
}

func demoTable(w io.Writer) error {
	g, err := synth.New(synth.DefaultConfig())
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, g.DemoTable())
	return err
}

func serve(o options, stdout, stderr io.Writer) error {
	if !o.quiet {
		o.cfg.Log = slog.New(slog.NewTextHandler(stderr, nil))
	}
	s, err := sim.New(o.cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30*time.Second + o.cfg.Faults.Latency + o.cfg.Faults.Jitter,
		IdleTimeout:       time.Minute,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	fmt.Fprintf(stdout, "cla-registry-sim: %s on http://%s (RENIEC %s, Migraciones %s, SIAGIE %s)\n",
		s.Source(), ln.Addr(), sim.ReniecPath, sim.MigracionesPath, sim.SiagiePath)
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
