package awsopts

import "github.com/aws/aws-sdk-go-v2/service/s3"

// S3PathStyle turns on path-style addressing (endpoint/bucket/key) when the
// client has a custom endpoint. With virtual-hosted addressing the SDK
// sends requests to bucket.endpoint-host, a name that a local endpoint such
// as 127.0.0.1 cannot resolve.
func S3PathStyle(o *s3.Options) {
	if o.BaseEndpoint != nil {
		o.UsePathStyle = true
	}
}
