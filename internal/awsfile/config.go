package awsfile

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
)

// Config returns an aws.Config for one account and region whose SDK calls are answered from files.
//
// Every operation of a client built from it returns the decoded content of
// its response file, or an error, before any request is built: no call
// reaches the network. region is a region name or "global". Calls to a
// region without a folder fail with ErrNotCollected.
func (s *Source) Config(accountID, region string) (aws.Config, error) {
	acct, ok := s.account(accountID)
	if !ok {
		ids := make([]string, len(s.accounts))
		for i, a := range s.accounts {
			ids[i] = a.ID
		}
		return aws.Config{}, fmt.Errorf("offline AWS config: account %q not found; the data folder has %s", accountID, strings.Join(ids, ", "))
	}
	if !validRegion(region) {
		return aws.Config{}, fmt.Errorf("offline AWS config for account %s: invalid region %q; pass a region name such as us-east-1, or \"global\"", accountID, region)
	}

	return aws.Config{
		Region: region,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDOFFLINE", SecretAccessKey: "offline", Source: "awsfile"}, nil
		}),
		HTTPClient: noNetwork{},
		Retryer:    func() aws.Retryer { return aws.NopRetryer{} },
		APIOptions: []func(*middleware.Stack) error{
			func(stack *middleware.Stack) error { return s.addResponder(stack, acct, region) },
		},
	}, nil
}

// addResponder inserts the responder first in the stack's Initialize step.
func (s *Source) addResponder(stack *middleware.Stack, acct *account, region string) error {
	// Some services record the client's region only in this middleware,
	// which runs after the responder; read it here so a per-client region
	// option is honoured.
	if m, ok := stack.Initialize.Get("RegisterServiceMetadata"); ok {
		if meta, ok := m.(*awsmiddleware.RegisterServiceMetadata); ok && meta.Region != "" {
			region = meta.Region
		}
	}
	return stack.Initialize.Add(&responder{source: s, account: acct, region: region}, middleware.Before)
}

// responder is the Initialize middleware that returns an operation's output
// from its response file and never calls the next handler.
type responder struct {
	source  *Source
	account *account
	region  string
}

// ID names the middleware in the stack.
func (r *responder) ID() string { return "awsfile.Responder" }

// HandleInitialize returns the operation's output read from its file.
func (r *responder) HandleInitialize(ctx context.Context, in middleware.InitializeInput, _ middleware.InitializeHandler) (
	middleware.InitializeOutput, middleware.Metadata, error,
) {
	region := awsmiddleware.GetRegion(ctx)
	if region == "" {
		region = r.region
	}
	call := call{
		serviceID: middleware.GetServiceID(ctx),
		operation: middleware.GetOperationName(ctx),
		region:    region,
		input:     in.Parameters,
	}
	result, err := r.source.respond(r.account, call)
	if err != nil {
		return middleware.InitializeOutput{}, middleware.Metadata{}, err
	}
	return middleware.InitializeOutput{Result: result}, middleware.Metadata{}, nil
}

// errNetworkDisabled is returned by the HTTP client of offline configs.
var errNetworkDisabled = errors.New("offline AWS config: network access is disabled")

// noNetwork is an HTTP client that fails every request. The responder
// returns before a request is built, so it is only reached if a
// middleware runs ahead of the responder and sends one.
type noNetwork struct{}

// Do returns errNetworkDisabled.
func (noNetwork) Do(req *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("%w: request to %s", errNetworkDisabled, req.URL.Host)
}

// validRegion reports whether region is "global" or a region name, which
// also keeps it from naming a folder outside the account.
func validRegion(region string) bool {
	return region == "global" || regionName.MatchString(region)
}
