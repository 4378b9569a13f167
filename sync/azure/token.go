package azure

import (
	"context"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// StaticToken returns a credential that presents one bearer token. The
// token's real expiry is unknown, so it is reported as one hour ahead: the
// SDK then never tries to refresh it during a sync.
func StaticToken(token string) azcore.TokenCredential { return staticToken(token) }

type staticToken string

func (t staticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(t), ExpiresOn: time.Now().Add(time.Hour)}, nil
}
