package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// SigV4Algorithm is the scheme name that starts a SigV4 Authorization header.
const SigV4Algorithm = "AWS4-HMAC-SHA256"

// CredentialScope is the credential part of a SigV4 Authorization header:
// Credential=AccessKeyID/Date/Region/Service/aws4_request.
type CredentialScope struct {
	AccessKeyID string
	Date        string // yyyymmdd
	Region      string
	Service     string // signing name, such as "s3" for both S3 and S3 Control
}

// ErrUnsigned is returned by ParseAuthorization for a request without an
// Authorization header.
var ErrUnsigned = errors.New("request has no Authorization header")

// ParseAuthorization reads the credential scope of a SigV4-signed request.
// It returns ErrUnsigned when the header is missing and a descriptive error
// when the header is not SigV4. It does not verify the signature.
func ParseAuthorization(r *http.Request) (CredentialScope, error) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return CredentialScope{}, ErrUnsigned
	}
	return ParseAuthorizationHeader(header)
}

// ParseAuthorizationHeader reads the credential scope from the value of a
// SigV4 Authorization header, such as
// "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/s3/aws4_request,
// SignedHeaders=host, Signature=abc".
func ParseAuthorizationHeader(header string) (CredentialScope, error) {
	algorithm, params, found := strings.Cut(strings.TrimSpace(header), " ")
	if !found || algorithm != SigV4Algorithm {
		return CredentialScope{}, fmt.Errorf("parse Authorization header: want scheme %s, got %q", SigV4Algorithm, algorithm)
	}

	for _, param := range strings.Split(params, ",") {
		name, value, _ := strings.Cut(strings.TrimSpace(param), "=")
		if name != "Credential" {
			continue
		}
		parts := strings.Split(value, "/")
		if len(parts) != 5 || parts[4] != "aws4_request" {
			return CredentialScope{}, fmt.Errorf("parse Authorization header: want Credential=AKID/date/region/service/aws4_request, got %q", value)
		}
		for i, part := range parts[:4] {
			if part == "" {
				return CredentialScope{}, fmt.Errorf("parse Authorization header: part %d of Credential %q is empty", i+1, value)
			}
		}
		return CredentialScope{AccessKeyID: parts[0], Date: parts[1], Region: parts[2], Service: parts[3]}, nil
	}
	return CredentialScope{}, fmt.Errorf("parse Authorization header: no Credential parameter in %q", header)
}
