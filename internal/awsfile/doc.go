// Package awsfile serves AWS SDK for Go v2 calls from a folder of AWS CLI
// JSON outputs, so that offline sync runs the same fetch code as live sync.
//
// Source.Config returns an aws.Config whose clients never send a request.
// A middleware placed first in every operation's Initialize step finds the
// operation's response file and decodes it into the operation's output
// type, which it finds by reflection on the client method of the same name.
// The SDK returns that output to the caller as if the service had sent it.
//
// # Layout
//
// The layout is the one CloudMapper's collect command writes:
//
//	DIR/describe-regions.json                    ec2 DescribeRegions, for every region
//	DIR/_errors.json                             declared errors for every region (optional)
//	DIR/<region>/<service>-<operation>.json      a call without a resource parameter
//	DIR/<region>/<service>-<operation>/<value>   a call on one resource
//	DIR/<region>/_errors.json                    declared errors for one region (optional)
//
// <service> is the AWS CLI service name (s3, iam, ec2, config for AWS Config,
// logs for CloudWatch Logs, ...) and <operation> the CLI command name, as
// botocore derives it: DescribeDBInstances is describe-db-instances. A flat
// file may lack the .json suffix and a per-resource file may have it.
//
// <value> is the value of the call's resource parameter, escaped like
// Python's urllib.parse.quote_plus, so an ARN's ":" and "/" become %3A and
// %2F. The resource parameter is the input's one non-empty field of Go type
// *string or string, not counting pagination fields (Marker, NextToken,
// MaxItems, MaxResults, ...) and S3's ExpectedBucketOwner. When several are
// set, each becomes one folder level, in the order of a per-operation list
// (kms GetKeyPolicy uses KeyId only, iam GetRolePolicy uses RoleName then
// PolicyName) or else in the order the input struct declares them.
//
// Global services (iam, s3, s3control, organizations, sts) are read from
// the us-east-1 folder whatever region the client names, including
// "global". An account without us-east-1 but with us-gov-west-1 or
// cn-north-1 uses that folder instead.
//
// DIR is either one account, when it holds region folders or
// describe-regions.json, or a folder with one such folder per account. The
// account ID comes from the "Account" field of sts-get-caller-identity.json
// in the account or any of its region folders, else from the folder name if
// it is 12 digits.
//
// # Responses
//
// Files are decoded with Unmarshal, which accepts the ways CLI output
// differs from the SDK types. Next-page tokens in a response are cleared, so
// SDK paginators stop after one call: the file holds every page. An empty
// file is an empty response.
//
// A call whose file is absent fails with a *NotCollectedError, which wraps
// ErrNotCollected and is a smithy.APIError with code "NotCollected" and a
// message naming the file. The sync records it as not collected, not as an
// empty result. CloudMapper writes no file when a call fails, even for
// expected answers such as NoSuchBucketPolicy, so such calls are reported as
// not collected too, unless _errors.json declares them.
//
// # Declared errors
//
// An _errors.json file maps a call to the API error it returns:
//
//	{
//	  "*":                            {"code": "AccessDenied", "message": "denied by SCP"},
//	  "guardduty":                    {"code": "SubscriptionRequiredException", "message": "..."},
//	  "s3:GetBucketPolicy":           {"code": "AccessDenied", "message": "..."},
//	  "s3:GetBucketPolicy:my-bucket": {"code": "NoSuchBucketPolicy", "message": "..."}
//	}
//
// Keys are "*", a CLI service name, "<service>:<Operation>" with the API
// or CLI operation name, or that followed by ":<value>" with the resource
// values joined by "/". The most specific key wins, and the region folder's
// file is checked before the account folder's. For global services the
// region folder is the one their data is read from (us-east-1). A declared
// error takes precedence over a response file and is returned as a
// smithy.APIError with the given code and message.
package awsfile
