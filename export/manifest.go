package export

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// SchemaVersion is the version of the manifest's format. It changes when a
// field changes meaning or goes away; added fields keep it.
const SchemaVersion = 1

// ManifestFile is the name of the manifest in the output folder. Each
// export also leaves a copy under manifests/<export id>.json.
const ManifestFile = "manifest.json"

// Layouts of an output folder. A snapshot folder partitions resource
// tables by snapshot_date, a history folder by sync_date, so one folder
// never mixes the two.
const (
	LayoutSnapshot = "snapshot"
	LayoutHistory  = "history"
)

// Manifest describes one export: what it wrote, from which sync runs, and
// the columns of every table.
type Manifest struct {
	SchemaVersion int       `json:"schema_version"`
	ExportID      string    `json:"export_id"`
	ExportedAt    time.Time `json:"exported_at"`
	Mode          Mode      `json:"mode"`
	Layout        string    `json:"layout"`
	Database      string    `json:"database"`
	OutDir        string    `json:"out_dir"`
	// SnapshotAt is the moment a snapshot export shows: --at, or the time
	// of the latest sync.
	SnapshotAt *time.Time `json:"snapshot_at,omitempty"`
	// SnapshotSyncRunID is the newest sync run at or before SnapshotAt,
	// whose data the snapshot shows. It is 0 when SnapshotAt is before the
	// first sync, and in history exports.
	SnapshotSyncRunID int64 `json:"snapshot_sync_run_id"`
	// ThroughSyncRunID and ThroughCheckRunID are the newest sync and check
	// runs in the database when the export ran.
	ThroughSyncRunID  int64 `json:"through_sync_run_id"`
	ThroughCheckRunID int64 `json:"through_check_run_id"`
	// SyncRuns lists the sync runs that the exported resource rows came
	// from.
	SyncRuns []SyncRun      `json:"sync_runs"`
	Tables   []TableSummary `json:"tables"`
	// Warnings are problems that did not stop the export, such as a
	// snapshot moment before the first sync.
	Warnings []string `json:"warnings,omitempty"`
}

// SyncRun is one sync run that exported rows came from.
type SyncRun struct {
	RunID    int64     `json:"run_id"`
	Provider string    `json:"provider"`
	Source   string    `json:"source"`
	SyncTime time.Time `json:"sync_time"`
	Status   string    `json:"status"`
}

// TableSummary describes one exported table.
type TableSummary struct {
	Name        string `json:"name"`
	Provider    string `json:"provider,omitempty"`
	Description string `json:"description"`
	// Folder is the table's folder, relative to the output folder.
	Folder      string   `json:"folder"`
	PartitionBy []string `json:"partition_by"`
	// Write is the way this export's files joined earlier ones: "replace"
	// (the folder was replaced), "replace_partition" (the partitions
	// written were replaced) or "append" (files were added).
	Write string `json:"write"`
	Rows  int64  `json:"rows"`
	// Files are the Parquet files this export wrote, relative to the
	// output folder.
	Files   []string        `json:"files"`
	Columns []ColumnSummary `json:"columns"`
	// SyncRuns counts the rows of a resource table per sync run that
	// first saw them.
	SyncRuns []RunRows `json:"sync_runs,omitempty"`
	// The rows cover sync runs (FromSyncRunID, ThroughSyncRunID] and check
	// runs (FromCheckRunID, ThroughCheckRunID]; zero where not relevant.
	FromSyncRunID     int64 `json:"from_sync_run_id,omitempty"`
	ThroughSyncRunID  int64 `json:"through_sync_run_id,omitempty"`
	FromCheckRunID    int64 `json:"from_check_run_id,omitempty"`
	ThroughCheckRunID int64 `json:"through_check_run_id,omitempty"`
}

// ColumnSummary is one column of an exported table.
type ColumnSummary struct {
	Name string `json:"name"`
	// Type is the DuckDB type of the column as read back from the files.
	Type string `json:"type"`
	// JSON marks a column that holds a JSON document as text.
	JSON bool `json:"json,omitempty"`
	// Partition marks a Hive partition column, which lives in folder names
	// and not in the files.
	Partition   bool   `json:"partition,omitempty"`
	Description string `json:"description"`
}

// RunRows is the number of exported rows that one sync run first saw.
type RunRows struct {
	RunID int64 `json:"run_id"`
	Rows  int64 `json:"rows"`
}

// ReadManifest reads the manifest of an output folder. It returns nil
// and no error when the folder has none.
func ReadManifest(outDir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(outDir, ManifestFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read export manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read export manifest %s: %w: move the folder away or export into another --out", filepath.Join(outDir, ManifestFile), err)
	}
	return &m, nil
}

// writeManifest writes the manifest into the output folder, replacing the
// previous one by rename, and keeps a copy under manifests/.
func writeManifest(outDir string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode export manifest: %w", err)
	}
	b = append(b, '\n')
	history := filepath.Join(outDir, "manifests")
	if err := os.MkdirAll(history, 0o700); err != nil {
		return fmt.Errorf("create manifest folder: %w", err)
	}
	if err := os.WriteFile(filepath.Join(history, m.ExportID+".json"), b, 0o600); err != nil {
		return fmt.Errorf("write export manifest: %w", err)
	}
	tmp := filepath.Join(outDir, "."+ManifestFile+".tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("write export manifest: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(outDir, ManifestFile)); err != nil {
		return fmt.Errorf("write export manifest: %w", err)
	}
	return nil
}
