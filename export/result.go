package export

import (
	"database/sql"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// Result formats that WriteResult writes.
const (
	FormatParquet     = "parquet"      // one Parquet file, ZSTD-compressed
	FormatArrowFile   = "arrow"        // the Arrow IPC file format, with its footer
	FormatArrowStream = "arrow-stream" // the Arrow IPC stream format, for pipes
)

// batchWriter is the interface that the Arrow IPC and Parquet writers share.
type batchWriter interface {
	Write(arrow.RecordBatch) error
	Close() error
}

// WriteResult writes every row of a query result to w in one of the
// formats above and returns the number of rows written. It reads the rows
// in batches of BatchRows, so a large result never sits in memory whole.
func WriteResult(rows *sql.Rows, format string, w io.Writer) (int64, error) {
	// The Parquet writer closes its sink when it finishes; the caller owns
	// w, so the writers get it without its Close method.
	w = struct{ io.Writer }{w}
	mem := memory.DefaultAllocator
	batcher, err := newRowBatcher(rows, mem, format == FormatParquet)
	if err != nil {
		return 0, err
	}
	var bw batchWriter
	switch format {
	case FormatParquet:
		props := parquet.NewWriterProperties(
			parquet.WithCompression(compress.Codecs.Zstd),
			parquet.WithAllocator(mem),
		)
		// The stored Arrow schema keeps the field metadata that marks JSON
		// columns, and time zones, for Arrow readers.
		fw, err := pqarrow.NewFileWriter(batcher.schema, w, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
		if err != nil {
			return 0, fmt.Errorf("start Parquet file: %w", err)
		}
		bw = fw
	case FormatArrowFile:
		fw, err := ipc.NewFileWriter(w, ipc.WithSchema(batcher.schema), ipc.WithAllocator(mem))
		if err != nil {
			return 0, fmt.Errorf("start Arrow file: %w", err)
		}
		bw = fw
	case FormatArrowStream:
		bw = ipc.NewWriter(w, ipc.WithSchema(batcher.schema), ipc.WithAllocator(mem))
	default:
		return 0, fmt.Errorf("invalid result format %q: use %s, %s or %s", format, FormatParquet, FormatArrowFile, FormatArrowStream)
	}
	for {
		batch, err := batcher.Next()
		if err != nil {
			bw.Close()
			return batcher.Rows, err
		}
		if batch == nil {
			break
		}
		err = bw.Write(batch)
		batch.Release()
		if err != nil {
			bw.Close()
			return batcher.Rows, fmt.Errorf("write %s: %w", format, err)
		}
	}
	if err := bw.Close(); err != nil {
		return batcher.Rows, fmt.Errorf("finish %s output: %w", format, err)
	}
	return batcher.Rows, nil
}
