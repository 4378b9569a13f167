// Package emulator contains the parts that the AWS stand-ins used by tests
// share: an aws.Config that points the real SDK clients at a local endpoint
// with static test credentials, a parser for the SigV4 Authorization header
// that finds the access key, region and service that signed a request, and a
// map from access keys to accounts.
//
// The stand-ins themselves live in the subpackages: moto runs the moto
// emulator as a child process, faultproxy injects throttling, errors and
// latency in front of any endpoint, and awsstub serves the few APIs moto
// lacks. Nothing here talks to AWS, and nothing here checks signatures.
package emulator
