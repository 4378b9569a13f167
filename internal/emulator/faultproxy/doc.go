// Package faultproxy is a reverse proxy for tests that runs in front of an
// AWS endpoint (moto, awsstub, or any local server) on 127.0.0.1 and
// injects faults into chosen calls: throttling, server errors, access
// denied, other error codes, and latency. It also records every call so a
// test can count what the SDK sent, retries included.
//
// The proxy finds the service and region of a call in the credential scope
// of its SigV4 Authorization header, and the account through a map from
// access key id to account id. Tests fill that map with SetAccount. The
// proxy also learns it from the sts:AssumeRole responses that pass through
// it, so credentials that moto issues for a role in another account count
// for that account. The operation comes from X-Amz-Target for awsJson, from
// the Action form field for awsQuery and EC2, from the path for Smithy RPC
// v2 CBOR, and is "METHOD /path" for REST APIs.
//
// Injected errors use the wire format of the service's protocol (see
// ServiceProtocols), so the SDK parses the error code as it would from AWS
// and its retryer treats throttling and 5xx responses as retryable.
//
// The proxy does not verify signatures, does not inject faults into
// requests without a SigV4 Authorization header, presigned URLs included
// (they are forwarded and recorded with empty service and region), and does
// not alter responses from the backend.
package faultproxy
