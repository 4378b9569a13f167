// Package awsopts holds client options that make aws-sdk-go-v2 clients work
// against an endpoint other than AWS's own, such as one set through
// AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_<SERVICE>, or a local emulator.
// Pass them to a client constructor, for example
// s3.NewFromConfig(cfg, awsopts.S3PathStyle).
//
// Each option is safe to apply when no custom endpoint is set: S3PathStyle
// and S3ControlKeepHost then change nothing, and CloudWatchQueryProtocol
// selects a protocol that AWS also serves. This package does not choose or
// validate endpoints.
package awsopts
