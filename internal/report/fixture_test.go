package report

import (
	"errors"
	"time"

	"github.com/stance-cspm/stance/benchmarks"
)

// hostile carries an ANSI colour, an OSC title change ended by BEL, a pipe,
// HTML, quotes and a leading "=" that spreadsheets run as a formula.
const (
	hostileResource = "i-0bad\x1b[31m|<script>alert(1)</script>\"'&"
	hostileReason   = "=HYPERLINK(\"http://evil\")\x1b]0;owned\x07 | <b>bold</b> `code` [link](javascript:x) *em* _u_ \\ done"
)

var evaluatedAt = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// Controls of the fixture, one per case.
var (
	controlS3 = &benchmarks.Control{
		ID: "aws_s3_bucket_public_access_blocked", Title: "S3 buckets block public access", Severity: "critical",
		Description: "A bucket without a public access block can be made public by one policy change.",
		Remediation: "Turn on all four settings of the bucket's public access block.",
		RemediationCommand: "aws s3api put-public-access-block --bucket {{.name}} --public-access-block-configuration " +
			"BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
		References:  []string{"https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"},
		MitreAttack: []string{"T1530"},
		Tables:      []string{"aws_s3_bucket"},
	}
	controlIMDS = &benchmarks.Control{
		ID: "aws_ec2_instance_imdsv2_required", Title: "EC2 instances require IMDSv2 session tokens", Severity: "high",
		Description: "An instance that accepts IMDSv1 hands its role credentials to request forgery.",
		Remediation: "Require tokens in the instance's metadata options.",
		MitreAttack: []string{"T1552.005"},
		Tables:      []string{"aws_ec2_instance"},
	}
	controlMFA = &benchmarks.Control{
		ID: "aws_iam_root_user_mfa_enabled", Title: "The root user has MFA", Severity: "critical",
		Description: "Root without MFA falls to one leaked password.", Remediation: "Enable MFA for the root user.",
		Tables: []string{"aws_iam_account_summary"},
	}
	controlEBS = &benchmarks.Control{
		ID: "aws_ebs_volume_encrypted", Title: "EBS volumes are encrypted", Severity: "medium",
		Description: "An unencrypted volume exposes its data in snapshots.", Remediation: "Copy the volume to an encrypted one.",
		Tables: []string{"aws_ebs_volume"},
	}
	controlTrail = &benchmarks.Control{
		ID: "aws_cloudtrail_multi_region", Title: "A multi-region trail logs management events", Severity: "medium",
		Description: "Without a trail, API activity leaves no record.", Remediation: "Create a multi-region trail.",
		Tables: []string{"aws_cloudtrail_trail", "aws_cloudtrail_trail_status"},
	}
	controlKMS = &benchmarks.Control{
		ID: "aws_kms_key_rotation_enabled", Title: "Customer managed keys rotate yearly", Severity: "low",
		Description: "A key that never rotates stays usable by whoever copied it.", Remediation: "Enable key rotation.",
		Tables: []string{"aws_kms_key"},
	}
)

// fixtureRun returns a run with every case a report must handle. It has a
// pass, a fail with a remediation command, a suppressed fail, an error, a
// blind spot and a manual requirement. One control serves two
// requirements, one requirement has only a suppressed failure, and one
// result carries hostile values from the cloud.
func fixtureRun() *benchmarks.Run {
	section2, section3 := "2 Identity and Access Management", "3 Storage"
	section4, section5 := "4 Logging", "5 Networking"
	manual := benchmarks.Requirement{ID: "2.1", Title: "Maintain current contact details", Section: section2,
		Profile: "level_1", Assessment: "manual", Controls: []string{}}
	requirements := []benchmarks.Requirement{
		manual,
		{ID: "2.4", Title: "Ensure MFA is enabled for the root user", Section: section2, Profile: "level_1",
			Assessment: "automated", Controls: []string{controlMFA.ID}},
		{ID: "3.1.1", Title: "Ensure S3 buckets block public access", Section: section3, Profile: "level_1",
			Assessment: "automated", Controls: []string{controlS3.ID}},
		{ID: "3.1.4", Title: "Ensure account-wide public access settings hold", Section: section3, Profile: "level_1",
			Assessment: "automated", Controls: []string{controlS3.ID}},
		{ID: "3.2.1", Title: "Ensure EBS volumes are encrypted", Section: section3, Profile: "level_1",
			Assessment: "automated", Controls: []string{controlEBS.ID}},
		{ID: "4.1", Title: "Ensure CloudTrail is enabled in all regions", Section: section4, Profile: "level_1",
			Assessment: "automated", Controls: []string{controlTrail.ID}},
		{ID: "4.8", Title: "Ensure rotation for customer-created keys is enabled", Section: section4, Profile: "level_2",
			Assessment: "automated", Controls: []string{controlKMS.ID}},
		{ID: "5.6", Title: "Ensure EC2 metadata service only allows IMDSv2", Section: section5, Profile: "level_1",
			Assessment: "automated", Controls: []string{controlIMDS.ID}},
	}
	account, region := "111122223333", "us-east-1"
	trailErr := errors.New("table aws_cloudtrail_trail_status does not exist")
	run := &benchmarks.Run{
		ID: 7,
		Benchmark: &benchmarks.Benchmark{Name: "cis_aws", Version: "6.0.0", Revision: 2,
			Title: "CIS Amazon Web Services Foundations Benchmark", Provider: "aws", Requirements: requirements},
		EvaluatedAt:  evaluatedAt,
		Requirements: requirements,
		Manual:       []benchmarks.Requirement{manual},
		Outcomes: []benchmarks.Outcome{
			{Control: controlMFA, Duration: 12 * time.Millisecond, Results: []benchmarks.Result{
				{ControlID: controlMFA.ID, Severity: "critical", Status: "pass", Resource: "arn:aws:iam::111122223333:root",
					Reason: "root has MFA", AccountID: account, Region: "global"},
			}},
			{Control: controlS3, Duration: 30 * time.Millisecond, Results: []benchmarks.Result{
				{ControlID: controlS3.ID, Severity: "critical", Status: "fail", Resource: "arn:aws:s3:::public-site",
					Reason: "bucket public-site has no public access block", AccountID: account, Region: region,
					RemediationCommand: "aws s3api put-public-access-block --bucket public-site --public-access-block-configuration " +
						"BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true"},
				{ControlID: controlS3.ID, Severity: "critical", Status: "fail", Resource: "arn:aws:s3:::legacy-assets",
					Reason: "bucket legacy-assets has no public access block", AccountID: account, Region: region,
					Suppressed: true, SuppressionReason: "suppressed by alice (until 2024-12-31): static site, reviewed"},
				{ControlID: controlS3.ID, Severity: "critical", Status: "pass", Resource: "arn:aws:s3:::private-logs",
					Reason: "all four settings are on", AccountID: account, Region: region},
			}},
			{Control: controlEBS, Duration: 8 * time.Millisecond, Results: []benchmarks.Result{
				{ControlID: controlEBS.ID, Severity: "medium", Status: "fail", Resource: "vol-0123456789abcdef0",
					Reason: "volume is not encrypted", AccountID: account, Region: "cn-north-1",
					Suppressed: true, SuppressionReason: "suppressed by bob (until 2024-06-30): scratch volume"},
			}},
			{Control: controlTrail, Err: trailErr, Duration: 3 * time.Millisecond, Results: []benchmarks.Result{
				{ControlID: controlTrail.ID, Severity: "medium", Status: "error", Resource: controlTrail.ID,
					Reason: "control aws_cloudtrail_multi_region failed: " + trailErr.Error()},
			}},
			{Control: controlKMS, Duration: 2 * time.Millisecond, Results: []benchmarks.Result{
				{ControlID: controlKMS.ID, Severity: "low", Status: "skip", Resource: "/",
					Reason: "not evaluated: table aws_kms_key was never synced; run 'stance sync' first"},
			}},
			{Control: controlIMDS, Duration: 21 * time.Millisecond, Results: []benchmarks.Result{
				{ControlID: controlIMDS.ID, Severity: "high", Status: "fail", Resource: hostileResource,
					Reason: hostileReason, AccountID: account, Region: region},
				{ControlID: controlIMDS.ID, Severity: "high", Status: "pass", Resource: "i-0good",
					Reason: "tokens required", AccountID: account, Region: region},
				{ControlID: controlIMDS.ID, Severity: "high", Status: "skip", Resource: "111122223333/eu-west-1",
					AccountID: account, Region: "eu-west-1",
					Reason: "not evaluated: aws_ec2_instance in account 111122223333 region eu-west-1 is a blind spot of the last sync (denied AccessDenied: not authorized)"},
			}},
		},
	}
	for i := range run.Outcomes {
		run.Outcomes[i].CountResults()
	}
	return run
}

// wantRequirementStatus is the status each fixture requirement must get.
var wantRequirementStatus = map[string]string{
	"2.1": "manual", "2.4": "pass", "3.1.1": "fail", "3.1.4": "fail",
	"3.2.1": "pass", "4.1": "error", "4.8": "skip", "5.6": "fail",
}

// directRun returns a run of two controls named without a benchmark.
func directRun() *benchmarks.Run {
	run := fixtureRun()
	run.Benchmark = nil
	run.Requirements = nil
	run.Manual = nil
	run.Outcomes = run.Outcomes[1:3]
	return run
}
