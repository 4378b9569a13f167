package aws

import (
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// bucketRegionName returns the region named by a GetBucketLocation output.
// S3 returns an empty LocationConstraint for us-east-1 and the legacy
// value "EU" for eu-west-1.
func bucketRegionName(constraint types.BucketLocationConstraint) string {
	switch constraint {
	case "":
		return "us-east-1"
	case types.BucketLocationConstraintEu:
		return "eu-west-1"
	}
	return string(constraint)
}

// s3RegionalClients builds and caches one S3 client per region from a base
// client. S3 serves a bucket's detail calls only in the bucket's own
// region. Each client keeps the base client's options, such as its
// endpoint, path-style addressing and credentials. It is safe for
// concurrent use.
type s3RegionalClients struct {
	base    *s3.Client
	mu      sync.Mutex
	clients map[string]*s3.Client
}

func newS3RegionalClients(base *s3.Client) *s3RegionalClients {
	return &s3RegionalClients{
		base:    base,
		clients: map[string]*s3.Client{base.Options().Region: base},
	}
}

// forRegion returns the client for region, creating it on first use.
func (r *s3RegionalClients) forRegion(region string) *s3.Client {
	r.mu.Lock()
	defer r.mu.Unlock()
	if client, ok := r.clients[region]; ok {
		return client
	}
	client := s3.New(r.base.Options(), func(o *s3.Options) { o.Region = region })
	r.clients[region] = client
	return client
}
