// Package demo holds the built-in AWS world that `stance demo` syncs: three
// accounts of one organisation written as AWS CLI JSON outputs in the
// layout that internal/awsfile reads, embedded in the binary, and the list
// of misconfigurations planted in it.
//
// The accounts are prod (210987654321), dev (345678901234) and security
// (456789012345), each with the regions us-east-1 and eu-west-1. dev also
// has ap-southeast-2, where every call returns AccessDenied, so the demo
// shows how a sync records a region it may not read.
//
// Every call that a registered AWS table makes has its response file in
// every account and region, so the only blind spots of a demo sync are the
// AccessDenied partitions. A call that returns an error, such as
// GetBucketPolicy on a bucket without a policy, has the error declared in
// the folder's _errors.json instead. A table added later needs its files
// in each account and region folder, or only in us-east-1 for global
// services such as IAM and S3. TestWorldHasEveryResponse lists the files
// that are missing.
//
// As in AWS, the organisation trail of the security account is listed by
// DescribeTrails in every account, so every account has a multi-region
// trail. The single-region trail of prod is a finding on its own.
package demo

import (
	"embed"
	"io/fs"
	"time"
)

// worldFiles holds the AWS CLI outputs of the demo accounts under "world".
//
//go:embed all:world
var worldFiles embed.FS

// worldRoot is the folder inside worldFiles that holds one folder per account.
const worldRoot = "world"

// World returns the file system and the folder inside it that hold the demo
// accounts, ready for awsfile.OpenFS or sync/aws.NewOfflineFS.
func World() (fs.FS, string) {
	return worldFiles, worldRoot
}

// Account IDs of the demo organisation.
const (
	ProdAccountID     = "210987654321"
	DevAccountID      = "345678901234"
	SecurityAccountID = "456789012345"
)

// DeniedRegion is the region of the dev account where every call returns
// AccessDenied.
const DeniedRegion = "ap-southeast-2"

// CollectedAt returns the moment that the world describes, 2025-03-01
// 12:00 UTC. Every event that the world records (a creation, a last use,
// a delivery) happened before it. Only dates that lie ahead by nature,
// such as an expiration or the next key rotation, are later. A sync whose
// clock reads this moment and checks evaluated at it (stance check --at)
// give the same results whenever the demo runs.
func CollectedAt() time.Time {
	return time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
}

// AccountNames returns the short name of each demo account by account ID.
func AccountNames() map[string]string {
	return map[string]string{
		ProdAccountID:     "prod",
		DevAccountID:      "dev",
		SecurityAccountID: "security",
	}
}
