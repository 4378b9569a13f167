// Package awsstub is a small HTTP server for tests that serves the AWS
// read APIs moto 5.2.1 lacks, from data a test gives in Go or in a JSON
// file:
//
//   - Access Analyzer ListAnalyzers (GET /analyzer), paginated with
//     nextToken and maxResults, filtered by type;
//   - Security Hub DescribeHub (GET /accounts) and GetEnabledStandards
//     (POST /standards/get), paginated with NextToken and MaxResults.
//
// Data is kept per account and region. The region comes from the SigV4
// credential scope of each request and the account from the access key,
// through the same kind of map the fault proxy uses, so one stub serves
// several accounts. Paths and JSON member names follow the restJson1
// serializers of aws-sdk-go-v2's accessanalyzer v1.49.1 and securityhub
// v1.71.2 modules.
//
// The stub does not verify signatures, serves no write API (data changes
// only through Set or a file), and rejects any other operation with HTTP
// 404 UnknownOperationException. Its error codes and messages for missing
// hubs and bad tokens imitate AWS's but are not copied from a real response.
package awsstub
