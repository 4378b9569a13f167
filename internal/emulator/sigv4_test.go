package emulator

import (
	"errors"
	"net/http"
	"testing"
)

func TestParseAuthorizationHeader(t *testing.T) {
	tests := []struct {
		name    string
		header  string
		want    CredentialScope
		wantErr bool
	}{
		{
			name:   "sdk header",
			header: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc",
			want:   CredentialScope{AccessKeyID: "AKIDEXAMPLE", Date: "20240101", Region: "eu-west-1", Service: "sts"},
		},
		{
			name:   "no spaces after commas",
			header: "AWS4-HMAC-SHA256 Credential=K/20240101/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=abc",
			want:   CredentialScope{AccessKeyID: "K", Date: "20240101", Region: "us-east-1", Service: "s3"},
		},
		{name: "sigv2", header: "AWS AKID:signature", wantErr: true},
		{name: "sigv4a", header: "AWS4-ECDSA-P256-SHA256 Credential=K/20240101/s3/aws4_request, Signature=abc", wantErr: true},
		{name: "short scope", header: "AWS4-HMAC-SHA256 Credential=K/20240101/us-east-1/aws4_request, Signature=abc", wantErr: true},
		{name: "empty region", header: "AWS4-HMAC-SHA256 Credential=K/20240101//s3/aws4_request, Signature=abc", wantErr: true},
		{name: "no credential", header: "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc", wantErr: true},
		{name: "scheme only", header: "AWS4-HMAC-SHA256", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAuthorizationHeader(tt.header)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("got scope %+v and no error, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseAuthorizationUnsigned(t *testing.T) {
	r, err := http.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseAuthorization(r); !errors.Is(err, ErrUnsigned) {
		t.Errorf("got error %v, want ErrUnsigned", err)
	}
}

func TestAccountMapLookup(t *testing.T) {
	m := NewAccountMap(DefaultAccountID)
	m.Set("AKIDB", "222233334444")
	tests := []struct {
		key  string
		want string
	}{
		{"AKIDB", "222233334444"},
		{"unknown", DefaultAccountID},
		{"", DefaultAccountID},
	}
	for _, tt := range tests {
		if got := m.Lookup(tt.key); got != tt.want {
			t.Errorf("Lookup(%q): got %q, want %q", tt.key, got, tt.want)
		}
	}
}
