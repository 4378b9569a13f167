package awsopts

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3control"
	smithyendpoints "github.com/aws/smithy-go/endpoints"
)

// S3ControlKeepHost makes an S3 Control client with a custom endpoint send
// requests to that endpoint's host. The SDK's endpoint rules put the
// request's account id in front of the host (111122223333.127.0.0.1:4566),
// which does not resolve for a local endpoint. The account id still travels
// in the x-amz-account-id header. Without a custom endpoint the option
// changes nothing.
func S3ControlKeepHost(o *s3control.Options) {
	if o.BaseEndpoint == nil {
		return
	}
	next := o.EndpointResolverV2
	if next == nil {
		next = s3control.NewDefaultEndpointResolverV2()
	}
	o.EndpointResolverV2 = keepHostResolver{next: next}
}

// keepHostResolver wraps an S3 Control endpoint resolver and removes the
// account-id label that the rules add in front of a custom endpoint's host.
type keepHostResolver struct {
	next s3control.EndpointResolverV2
}

// ResolveEndpoint resolves params with the wrapped resolver and then
// restores the custom endpoint's host.
func (r keepHostResolver) ResolveEndpoint(ctx context.Context, params s3control.EndpointParameters) (smithyendpoints.Endpoint, error) {
	endpoint, err := r.next.ResolveEndpoint(ctx, params)
	if err != nil || params.Endpoint == nil {
		return endpoint, err
	}

	base, err := url.Parse(*params.Endpoint)
	if err != nil {
		return endpoint, fmt.Errorf("parse S3 Control endpoint %q: %w", *params.Endpoint, err)
	}
	label, rest, found := strings.Cut(endpoint.URI.Host, ".")
	if found && label != "" && rest == base.Host {
		endpoint.URI.Host = base.Host
	}
	return endpoint, nil
}
