// Command awsstub serves the stub's Access Analyzer and Security Hub APIs
// by hand, from a JSON data file (format on awsstub.File):
//
//	go run ./internal/emulator/awsstub/cmd/awsstub -data stub.json
//
// Point the SDK at it per service, for example
// AWS_ENDPOINT_URL_ACCESSANALYZER=http://127.0.0.1:4568 and
// AWS_ENDPOINT_URL_SECURITYHUB=http://127.0.0.1:4568. It listens on loopback
// addresses only and stops on SIGINT or SIGTERM.
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
	"github.com/stance-cspm/stance/internal/emulator/awsstub"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "awsstub:", err)
		os.Exit(1)
	}
}

func run() error {
	dataPath := flag.String("data", "", "JSON data file to serve (required)")
	listen := flag.String("listen", "127.0.0.1:4568", "loopback address and port to listen on")
	pageSize := flag.Int("page-size", awsstub.DefaultPageSize, "largest page returned by the paginated APIs")
	defaultAccount := flag.String("default-account", emulator.DefaultAccountID, "account of access keys that are not in the data file")
	flag.Parse()

	if *dataPath == "" {
		return errors.New("missing -data: set it to a JSON data file")
	}
	if err := requireLoopback(*listen); err != nil {
		return err
	}
	file, err := awsstub.LoadFile(*dataPath)
	if err != nil {
		return err
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	stub := awsstub.New(awsstub.Options{
		Accounts: emulator.NewAccountMap(*defaultAccount),
		PageSize: *pageSize,
		Logger:   logger,
	})
	if err := stub.Load(file); err != nil {
		return fmt.Errorf("load %s: %w", *dataPath, err)
	}

	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *listen, err)
	}
	server := &http.Server{Handler: stub, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	errc := make(chan error, 1)
	go func() { errc <- server.Serve(listener) }()
	logger.Info("awsstub started", "listen", "http://"+listener.Addr().String(), "data", *dataPath, "regions", len(file.Regions))

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil {
		logger.Warn("awsstub shutdown", "error", err)
	}
	logger.Info("awsstub stopped")
	return nil
}

// requireLoopback rejects listen addresses outside the loopback range.
func requireLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid -listen %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("invalid -listen %q: want a loopback address such as 127.0.0.1:4568", addr)
	}
	return nil
}
