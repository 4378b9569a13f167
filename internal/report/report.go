package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/stance-cspm/stance/benchmarks"
)

// Formats lists the accepted formats.
var Formats = []string{"table", "json", "csv", "markdown", "junit", "ocsf"}

// Options tune a report.
type Options struct {
	// Color enables ANSI colours in the table format. The caller sets it
	// only when writing to a terminal.
	Color bool
	// MaxRows limits the rows listed per control in each block of the
	// table format: failures, suppressed failures, errors and results not
	// evaluated (0: 10). The other formats list every result of the run's
	// outcomes. Those contain passes only when the run read them back
	// (benchmarks.LoadAll), but the counts always include the passes.
	MaxRows int
	// Version is stance's version, written as metadata.product.version in
	// the OCSF format.
	Version string
	// IncludePass adds an OCSF event for every passing result too. Without
	// it, the OCSF format lists failing and erroring results only.
	IncludePass bool
}

// Write writes the report of a check run to w in the named format.
func Write(w io.Writer, format string, run *benchmarks.Run, opts Options) error {
	if run == nil {
		return errors.New("write report: no check run")
	}
	if opts.MaxRows <= 0 {
		opts.MaxRows = 10
	}
	m := newModel(run)

	var b bytes.Buffer
	var err error
	switch format {
	case "table", "":
		err = writeTable(&b, m, opts)
	case "json":
		err = writeJSON(&b, m)
	case "csv":
		err = writeCSV(&b, m)
	case "markdown", "md":
		err = writeMarkdown(&b, m)
	case "junit":
		err = writeJUnit(&b, m)
	case "ocsf":
		err = writeOCSF(&b, m, opts)
	default:
		return fmt.Errorf("invalid report format %q: use one of %s", format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return fmt.Errorf("write %s report: %w", format, err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write %s report: %w", format, err)
	}
	return nil
}
