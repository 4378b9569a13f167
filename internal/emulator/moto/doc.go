// Package moto runs the moto AWS emulator (version 5.2.1, a Python program)
// on 127.0.0.1 for tests that drive the real aws-sdk-go-v2 clients over
// HTTP.
//
// Start returns one moto server per test binary, started on first use. Call
// RunTests from TestMain so the server stops when the tests end. moto must
// be importable by the python3 on PATH. Install it with
// pip install 'moto[server]'. Without it, Start skips the test, or fails it
// when the environment variable CI is "true".
//
// The server runs with MOTO_EC2_LOAD_DEFAULT_AMIS=false, so EC2 starts
// without its built-in images and snapshots. moto maps the access key that
// signs a request to an account: keys it has not issued belong to
// 123456789012, and the keys that sts:AssumeRole returns belong to the
// role's account, which is how tests reach several accounts.
//
// Gaps of moto 5.2.1 that tests must work around:
//
//   - Access Analyzer is not implemented: every call returns HTTP 500.
//     Use the awsstub package.
//   - Security Hub GetEnabledStandards returns HTTP 404. Use awsstub.
//   - CloudWatch: aws-sdk-go-v2's cloudwatch client speaks Smithy RPC v2
//     CBOR since v1.53.0, which moto does not parse. The client works when
//     its protocol is set back to awsQuery with
//     awsopts.CloudWatchQueryProtocol.
//   - S3 Control: the SDK puts the account id in front of the endpoint
//     host, which does not resolve for 127.0.0.1. awsopts.S3ControlKeepHost
//     keeps the configured host.
//   - S3: the SDK puts the bucket in the host name unless path-style
//     addressing is on or the endpoint host is an IP address. Behind a host
//     name such as localhost, turn it on with awsopts.S3PathStyle.
//
// This package does not install moto, does not check moto's version at run
// time, and does not isolate parallel tests from each other: they share one
// server and its state.
package moto
