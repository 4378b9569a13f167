package drift

import (
	"context"
	"testing"
	"time"
)

// TestInstallMacroMatchesChanges checks that stance_changes in SQL returns
// as many rows as Changes returns fields with KeepRawMirrors, and answers
// the question "which rules were opened to the world" in one SELECT.
func TestInstallMacroMatchesChanges(t *testing.T) {
	st := changedWorld(t)
	ctx := context.Background()
	conn, err := st.Conn(ctx)
	if err != nil {
		t.Fatalf("connection: %v", err)
	}
	defer conn.Close()
	if err := Install(ctx, conn); err != nil {
		t.Fatalf("install: %v", err)
	}
	changes, err := Changes(ctx, conn, firstSync, secondSync, Filter{KeepRawMirrors: true})
	if err != nil {
		t.Fatalf("changes: %v", err)
	}
	fields := 0
	for _, c := range changes {
		fields += len(c.Fields)
	}
	shown, err := Changes(ctx, conn, firstSync, secondSync, Filter{})
	if err != nil {
		t.Fatalf("changes without raw mirrors: %v", err)
	}
	shownFields, hidden := 0, 0
	for _, c := range shown {
		shownFields += len(c.Fields)
		hidden += c.HiddenRawFields
	}
	if hidden == 0 || shownFields+hidden != fields {
		t.Errorf("got %d fields shown and %d hidden, want a sum of %d with some hidden", shownFields, hidden, fields)
	}
	var rows int
	err = conn.QueryRowContext(ctx, `SELECT count(*) FROM stance_changes(?::TIMESTAMPTZ, ?::TIMESTAMPTZ)`, firstSync, secondSync).Scan(&rows)
	if err != nil {
		t.Fatalf("query macro: %v", err)
	}
	if rows != fields {
		t.Errorf("got %d macro rows, want %d (the fields of Changes)", rows, fields)
	}
	var rule string
	err = conn.QueryRowContext(ctx, `SELECT resource_id FROM stance_changes(?::TIMESTAMPTZ, ?::TIMESTAMPTZ)
		WHERE table_name = 'aws_vpc_security_group_rule' AND change = 'added'
		AND path = 'is_open_to_world' AND new_value::VARCHAR = 'true'`, firstSync, secondSync).Scan(&rule)
	if err != nil {
		t.Fatalf("query opened rules: %v", err)
	}
	if want := openedGroup + "|ingress|tcp|22|22|0.0.0.0/0"; rule != want {
		t.Errorf("got opened rule %q, want %q", rule, want)
	}
}

// TestTimelineOfBucket checks the versions of the bucket made public.
func TestTimelineOfBucket(t *testing.T) {
	st := changedWorld(t)
	versions, err := Timeline(context.Background(), st.DB(), "arn:aws:s3:::acme-prod-app-assets")
	if err != nil {
		t.Fatalf("timeline: %v", err)
	}
	if len(versions) != 2 {
		t.Fatalf("got %d versions, want 2", len(versions))
	}
	if versions[0].ValidTo == nil || !versions[0].ValidTo.Equal(secondSync) {
		t.Errorf("first version: got end %v, want %s", versions[0].ValidTo, secondSync)
	}
	if versions[1].ValidTo != nil {
		t.Errorf("second version: got end %v, want none", versions[1].ValidTo)
	}
	found := false
	for _, f := range versions[1].Fields {
		found = found || f.Path == "policy_status_is_public"
	}
	if !found {
		t.Errorf("second version: got fields %v, want policy_status_is_public among them", versions[1].Fields)
	}
}

// TestBaselineRoundTrip sets, reads, lists and removes a baseline.
func TestBaselineRoundTrip(t *testing.T) {
	st := changedWorld(t)
	ctx := context.Background()
	if _, err := LookupBaseline(ctx, st.DB(), "known-good"); err == nil {
		t.Fatalf("lookup before set: got no error, want not found")
	}
	if err := SetBaseline(ctx, st.DB(), "known-good", firstSync, time.Now()); err != nil {
		t.Fatalf("set: %v", err)
	}
	at, err := LookupBaseline(ctx, st.DB(), "known-good")
	if err != nil || !at.Equal(firstSync) {
		t.Errorf("lookup: got %v, %v, want %s", at, err, firstSync)
	}
	list, err := Baselines(ctx, st.DB())
	if err != nil || len(list) != 1 {
		t.Errorf("list: got %v, %v, want one baseline", list, err)
	}
	if err := RemoveBaseline(ctx, st.DB(), "known-good"); err != nil {
		t.Errorf("remove: %v", err)
	}
	if err := RemoveBaseline(ctx, st.DB(), "known-good"); err == nil {
		t.Errorf("second remove: got no error, want not found")
	}
}
