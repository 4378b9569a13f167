package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "aws_iam_server_certificate",
		Description: "SSL/TLS server certificates stored in IAM, with their expiration.",
		Key:         "arn",
		Global:      true,
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the certificate."},
			{Name: "server_certificate_name", Type: store.TypeText, Description: "Name of the certificate."},
			{Name: "server_certificate_id", Type: store.TypeText, Description: "Stable unique id of the certificate, starting with ASCA."},
			{Name: "path", Type: store.TypeText, Description: "Path of the certificate, such as / or /cloudfront/."},
			{Name: "upload_date", Type: store.TypeTimestamp, Description: "Time the certificate was uploaded."},
			{Name: "expiration", Type: store.TypeTimestamp, Description: "Time the certificate expires."},
		},
	}, fetchIAMServerCertificates)
}

func fetchIAMServerCertificates(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	pages := iam.NewListServerCertificatesPaginator(c.IAM, &iam.ListServerCertificatesInput{MaxItems: iamPageSize})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list server certificates: %w", err)
		}
		// NOTE: tags stay empty because they need one
		// ListServerCertificateTags call per certificate.
		for _, m := range page.ServerCertificateMetadataList {
			if err := emit(tables.Record{
				"arn":                     m.Arn,
				"server_certificate_name": m.ServerCertificateName,
				"server_certificate_id":   m.ServerCertificateId,
				"path":                    m.Path,
				"upload_date":             m.UploadDate,
				"expiration":              m.Expiration,
				"raw":                     m,
			}); err != nil {
				return err
			}
		}
	}
	return nil
}
