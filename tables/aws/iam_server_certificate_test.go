package aws

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// iamSelfSignedCert returns a PEM certificate for example.com that expires
// at notAfter, and its PEM private key.
func iamSelfSignedCert(t *testing.T, notAfter time.Time) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	iamMust(t, "generate key", err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "example.com"},
		NotBefore:    notAfter.AddDate(-1, 0, 0),
		NotAfter:     notAfter,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	iamMust(t, "create certificate", err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	iamMust(t, "marshal key", err)
	certPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	keyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	return certPEM, keyPEM
}

func TestIAMServerCertificateMoto(t *testing.T) {
	c := iamMotoClients(t, "100000000112")
	ctx := context.Background()
	iamSetPageSize(t, 1) // two certificates: two pages

	expired := time.Date(2020, 6, 1, 12, 0, 0, 0, time.UTC)
	valid := time.Date(2040, 1, 2, 3, 4, 5, 0, time.UTC)
	certs := []struct {
		name, path string
		notAfter   time.Time
	}{{"old-site", "/", expired}, {"cdn-site", "/cloudfront/", valid}}
	for _, cert := range certs {
		body, key := iamSelfSignedCert(t, cert.notAfter)
		_, err := c.IAM.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{
			ServerCertificateName: aws.String(cert.name),
			Path:                  aws.String(cert.path),
			CertificateBody:       aws.String(body),
			PrivateKey:            aws.String(key),
		})
		iamMust(t, "upload server certificate "+cert.name, err)
	}

	const table = "aws_iam_server_certificate"
	recs := collect(t, table, c)
	if len(recs) != len(certs) {
		t.Fatalf("got %d certificates, want %d", len(recs), len(certs))
	}
	byName := iamByKey(t, recs, "server_certificate_name")
	for _, cert := range certs {
		rec := byName[cert.name]
		if rec == nil {
			t.Errorf("certificate %s: missing", cert.name)
			continue
		}
		wantARN := "arn:aws:iam::100000000112:server-certificate" + cert.path + cert.name
		if got := iamColumn(t, table, rec, "arn"); got != wantARN {
			t.Errorf("%s arn: got %v, want %s", cert.name, got, wantARN)
		}
		if got := iamColumn(t, table, rec, "path"); got != cert.path {
			t.Errorf("%s path: got %v, want %s", cert.name, got, cert.path)
		}
		// NOTE: moto 5.2.1 returns the fixed expiration
		// 2012-05-08T01:02:03.004Z whatever the certificate contains, so the
		// offline fixture checks exact values.
		if iamColumn(t, table, rec, "expiration") == nil {
			t.Errorf("%s expiration: got NULL, want a time", cert.name)
		}
		if iamColumn(t, table, rec, "upload_date") == nil {
			t.Errorf("%s upload_date: got NULL, want the upload time", cert.name)
		}
		if iamColumn(t, table, rec, "server_certificate_id") == nil {
			t.Errorf("%s server_certificate_id: got NULL, want the id", cert.name)
		}
	}
}

func TestIAMServerCertificateFixture(t *testing.T) {
	c := iamFixtureClients(t, "aws_iam_server_certificate")["111122223333"]
	const table = "aws_iam_server_certificate"
	recs := collect(t, table, c)
	if len(recs) != 1 {
		t.Fatalf("got %d certificates, want 1", len(recs))
	}
	checks := []struct {
		column string
		want   any
	}{
		{"arn", "arn:aws:iam::111122223333:server-certificate/cloudfront/www"},
		{"server_certificate_name", "www"},
		{"server_certificate_id", "ASCAEXAMPLEWWW000001"},
		{"path", "/cloudfront/"},
		{"upload_date", time.Date(2019, 4, 1, 10, 0, 0, 0, time.UTC)},
		{"expiration", time.Date(2020, 4, 1, 12, 0, 0, 0, time.UTC)},
	}
	for _, tc := range checks {
		if got := iamColumn(t, table, recs[0], tc.column); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.column, got, tc.want)
		}
	}
}

func TestIAMServerCertificateDemo(t *testing.T) {
	c := iamDemoClients(t)
	if err := iamFetchError(t, "aws_iam_server_certificate", c); !IsNotCollected(err) {
		t.Errorf("got error %v, want NotCollected", err)
	}
}
