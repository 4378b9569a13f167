package benchmarks

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Suppression hides nothing: a suppressed failing result is still stored
// and reported, marked suppressed, until ExpiresAt, when its finding
// reopens.
type Suppression struct {
	ID int64
	// Control and Resource are patterns in which * matches any text,
	// slashes included, such as "aws_s3_*" and "arn:aws:s3:::legacy-*".
	Control   string
	Resource  string
	Reason    string
	Author    string
	CreatedAt time.Time
	// ExpiresAt is required: a suppression without an end is a silent
	// exception.
	ExpiresAt time.Time
}

// AddSuppression validates and stores a suppression and returns its id.
func AddSuppression(ctx context.Context, db *sql.DB, s Suppression) (int64, error) {
	if strings.TrimSpace(s.Control) == "" {
		return 0, fmt.Errorf("missing control pattern: use a control id or a pattern such as aws_s3_*")
	}
	if strings.TrimSpace(s.Resource) == "" {
		return 0, fmt.Errorf("missing resource pattern: use a resource id or a pattern such as arn:aws:s3:::legacy-*")
	}
	if strings.TrimSpace(s.Reason) == "" || strings.TrimSpace(s.Author) == "" {
		return 0, fmt.Errorf("a suppression needs a reason and an author")
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = time.Now()
	}
	if !s.ExpiresAt.After(s.CreatedAt) {
		return 0, fmt.Errorf("expiry %s is not in the future: suppressions must end", s.ExpiresAt.Format(time.RFC3339))
	}
	if _, err := db.ExecContext(ctx, schema[4]); err != nil {
		return 0, fmt.Errorf("prepare suppressions: %w", err)
	}
	if _, err := db.ExecContext(ctx, schema[5]); err != nil {
		return 0, fmt.Errorf("prepare suppressions: %w", err)
	}
	var id int64
	err := db.QueryRowContext(ctx, `INSERT INTO stance_suppression VALUES (nextval('stance_suppression_seq'), ?, ?, ?, ?, ?, ?) RETURNING suppression_id`,
		s.Control, s.Resource, s.Reason, s.Author, s.CreatedAt.UTC(), s.ExpiresAt.UTC()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store suppression: %w", err)
	}
	return id, nil
}

// GlobMatch reports whether s matches a suppression pattern, in which *
// matches any text, slashes included.
func GlobMatch(pattern, s string) bool { return globMatch(pattern, s) }

// globMatch reports whether s matches pattern, in which * matches any text
// and every other character itself. ARNs contain slashes, so path.Match,
// whose * stops at a slash, does not fit.
func globMatch(pattern, s string) bool {
	var b strings.Builder
	b.WriteString("^")
	for _, part := range strings.Split(pattern, "*") {
		b.WriteString(regexp.QuoteMeta(part))
		b.WriteString(".*")
	}
	expr := strings.TrimSuffix(b.String(), ".*") + "$"
	return regexp.MustCompile(expr).MatchString(s)
}
