// Command azureemu serves an Azure world file (format in the package
// documentation of internal/emulator/azure) over HTTPS on a loopback
// address, so that `stance sync azure` can read it from the command line:
//
//	go run ./internal/emulator/azure/cmd/azureemu -world world.json -cert-file /tmp/azureemu.pem
//
// It prints the environment variables to set for stance and stops on
// SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	azemu "github.com/stance-cspm/stance/internal/emulator/azure"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "azureemu:", err)
		os.Exit(1)
	}
}

func run() error {
	worldPath := flag.String("world", "", "world file to serve (required)")
	certFile := flag.String("cert-file", "", "file to write the emulator's certificate to, for SSL_CERT_FILE (required)")
	listen := flag.String("listen", "127.0.0.1:8443", "loopback address and port to listen on")
	pageSize := flag.Int("page-size", 0, "largest page of Resource Graph and ARM lists (default: Azure's)")
	deny := flag.String("deny", "", "comma-separated subscription ids that answer 403")
	flag.Parse()

	if *worldPath == "" || *certFile == "" {
		return errors.New("missing -world or -cert-file: both are required")
	}
	world, err := azemu.LoadWorld(*worldPath)
	if err != nil {
		return err
	}
	opts := azemu.Options{Addr: *listen, PageSize: *pageSize}
	if *deny != "" {
		opts.Deny = strings.Split(*deny, ",")
	}
	srv, err := azemu.Start(world, opts)
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := srv.WriteCertPEM(*certFile); err != nil {
		return fmt.Errorf("write certificate: %w", err)
	}

	fmt.Printf("serving %s at %s\n", *worldPath, srv.URL())
	fmt.Printf("export STANCE_AZURE_ENDPOINT=%s SSL_CERT_FILE=%s STANCE_AZURE_ACCESS_TOKEN=emulator\n", srv.URL(), *certFile)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return nil
}
