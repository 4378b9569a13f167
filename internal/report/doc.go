// Package report writes the results of a check run (benchmarks.Run) as a
// terminal report, JSON, CSV, Markdown, JUnit XML or OCSF Compliance
// Finding events.
//
// Every format derives a requirement's status from the results of its
// controls the same way:
//   - fail: a control of the requirement fails on a resource, and that
//     failure is not suppressed.
//   - error: no unsuppressed failure, but a control reports an error.
//   - skip: no failure or error, but some result was not evaluated (a
//     blind spot of the last sync), or no control of the requirement ran
//     (filtered out by severity). A requirement never passes while part
//     of the estate could not be read.
//   - pass: anything else, including only suppressed failures.
//   - manual: the benchmark marks the requirement for a manual check.
//
// A suppressed failure stays visible in every format, marked as
// suppressed with its reason, but it does not fail its requirement: that
// is what a suppression records.
//
// Values that come from the cloud or the database (resources, reasons,
// remediation commands) are untrusted. The table, Markdown and JUnit
// formats pass them through render.Sanitize, so a control character
// shows as a visible escape. Markdown also escapes Markdown punctuation
// and HTML, encoding/xml escapes XML, and encoding/json escapes control
// characters and HTML. The CSV format keeps values as they are, except
// that a cell starting with =, +, -, @, tab or carriage return gets a
// leading single quote, so a spreadsheet does not run it as a formula.
//
// # OCSF
//
// The ocsf format writes a JSON array of OCSF 1.1.0 Compliance Finding
// events (class_uid 2003, category_uid 2, type_uid 200301), one per
// failing or erroring result, and one per passing result when
// Options.IncludePass is set. Field names were checked against the OCSF
// 1.1.0 reference pages for the Finding class, the cloud profile and the
// metadata, product, account, remediation, attack and technique objects,
// and against the ocsf-schema changelog.
//
// NOTE: three choices follow OCSF 1.1.0 rather than later versions.
// Compliance Finding has a single "resource" object in 1.1.0 ("resources"
// arrived in 1.3.0), so each event carries "resource". ATT&CK techniques go
// in finding_info.attacks, because the event-level "attacks" belongs to the
// security_control profile, which Compliance Finding lacks. Resource details
// have no account field, so the account goes in resource.owner.account,
// which is also where AWS Security Hub's OCSF mapping puts it.
//
// NOTE: three objects were not confirmed against the 1.1.0 text itself.
// The compliance object was checked in an ocsf-schema revision older than
// 1.3.0, which has standards, requirements, control, status, status_code,
// status_detail and status_id (1 Pass, 2 Warning, 3 Fail). finding_info
// was checked in the 1.2.0 reference, and resource_details in 1.0.0 and
// 1.3.0. An erroring result is reported as compliance status 2 Warning,
// which OCSF defines as a check that yielded no result, with status_code
// "error".
// finding_info.first_seen_time is left out because a Run does not carry
// the first time a finding was seen.
package report
