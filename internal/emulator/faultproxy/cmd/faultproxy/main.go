// Command faultproxy runs the fault-injecting proxy of package faultproxy
// by hand, in front of a local AWS stand-in such as moto:
//
//	go run ./internal/emulator/faultproxy/cmd/faultproxy \
//	    -target http://127.0.0.1:5000 -rules rules.json
//
// Point the SDK at the proxy (for example AWS_ENDPOINT_URL=http://127.0.0.1:4567).
// The rules file format is documented on faultproxy.RulesFile. The proxy
// listens on loopback addresses only and prints each rule's counters when it
// stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/stance-cspm/stance/internal/emulator"
	"github.com/stance-cspm/stance/internal/emulator/faultproxy"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "faultproxy:", err)
		os.Exit(1)
	}
}

func run() error {
	target := flag.String("target", "", "base URL of the endpoint to forward to, such as http://127.0.0.1:5000 (required)")
	listen := flag.String("listen", "127.0.0.1:4567", "loopback address and port to listen on")
	rulesPath := flag.String("rules", "", "JSON rules file; without it the proxy only forwards and counts")
	defaultAccount := flag.String("default-account", emulator.DefaultAccountID, "account of access keys that are not in the rules file")
	verbose := flag.Bool("v", false, "log every injected fault")
	flag.Parse()

	if *target == "" {
		return errors.New("missing -target: set it to the URL of the endpoint to forward to")
	}
	if err := requireLoopback(*listen); err != nil {
		return err
	}

	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	accounts := emulator.NewAccountMap(*defaultAccount)
	proxy, err := faultproxy.New(*target, faultproxy.Options{Accounts: accounts, Logger: logger})
	if err != nil {
		return err
	}
	var active []*faultproxy.ActiveRule
	if *rulesPath != "" {
		file, err := faultproxy.LoadRulesFile(*rulesPath)
		if err != nil {
			return err
		}
		for key, account := range file.Accounts {
			accounts.Set(key, account)
		}
		for _, rule := range file.Rules {
			a, err := proxy.AddRule(rule)
			if err != nil {
				return fmt.Errorf("rules file %s: %w", *rulesPath, err)
			}
			active = append(active, a)
		}
	}

	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *listen, err)
	}
	server := &http.Server{Handler: proxy, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	errc := make(chan error, 1)
	go func() { errc <- server.Serve(listener) }()
	logger.Info("faultproxy started", "listen", "http://"+listener.Addr().String(), "target", *target, "rules", len(active))

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil {
		logger.Warn("faultproxy shutdown", "error", err)
	}
	for i, a := range active {
		logger.Info("faultproxy rule", "rule", i+1, "hits", a.Hits(), "injected", a.Injected())
	}
	logger.Info("faultproxy stopped", "calls", len(proxy.Calls()))
	return nil
}

// requireLoopback rejects listen addresses outside the loopback range, so a
// proxy that returns forged AWS errors is never reachable from the
// network.
func requireLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid -listen %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("invalid -listen %q: want a loopback address such as 127.0.0.1:4567", addr)
	}
	return nil
}
