package awsopts

import "github.com/aws/aws-sdk-go-v2/service/s3"

// S3PathStyle turns on path-style addressing (endpoint/bucket/key) when the
// client has a custom endpoint. With virtual-hosted addressing the SDK
// sends requests to bucket.endpoint-host, such as logs.localhost, a name
// that often does not resolve. The SDK already uses path style when the
// endpoint host is an IP address.
func S3PathStyle(o *s3.Options) {
	if o.BaseEndpoint != nil {
		o.UsePathStyle = true
	}
}
