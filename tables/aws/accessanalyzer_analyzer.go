package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "aws_accessanalyzer_analyzer",
		Description: "IAM Access Analyzer analyzers. A region without rows has no analyzer, " +
			"provided that its partition succeeded (status ok in stance_sync_partition).",
		Key: "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the analyzer."},
			{Name: "name", Type: store.TypeText, Description: "Name of the analyzer."},
			{Name: "type", Type: store.TypeText, Description: "Zone of trust and kind of findings: ACCOUNT, ORGANIZATION, ACCOUNT_UNUSED_ACCESS, ORGANIZATION_UNUSED_ACCESS, ACCOUNT_INTERNAL_ACCESS or ORGANIZATION_INTERNAL_ACCESS."},
			{Name: "status", Type: store.TypeText, Description: "ACTIVE, CREATING, DISABLED or FAILED."},
			{Name: "status_reason", Type: store.TypeText, Description: "Why the analyzer is disabled or failed, such as AWS_SERVICE_ACCESS_DISABLED. NULL otherwise."},
			{Name: "created_at", Type: store.TypeTimestamp, Description: "Time the analyzer was created."},
			{Name: "last_resource_analyzed", Type: store.TypeText, Description: "ARN of the resource analyzed last."},
			{Name: "last_resource_analyzed_at", Type: store.TypeTimestamp, Description: "Time the last resource was analyzed."},
		},
		IgnoreInDrift: []string{
			"last_resource_analyzed",
			"last_resource_analyzed_at",
			"raw.LastResourceAnalyzed",
			"raw.LastResourceAnalyzedAt",
		},
	}, fetchAccessAnalyzers)
}

func fetchAccessAnalyzers(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	pages := accessanalyzer.NewListAnalyzersPaginator(c.AccessAnalyzer, &accessanalyzer.ListAnalyzersInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list analyzers: %w", err)
		}
		for _, a := range page.Analyzers {
			rec := tables.Record{
				"arn":                       a.Arn,
				"name":                      a.Name,
				"type":                      emptyToNull(string(a.Type)),
				"status":                    emptyToNull(string(a.Status)),
				"created_at":                a.CreatedAt,
				"last_resource_analyzed":    a.LastResourceAnalyzed,
				"last_resource_analyzed_at": a.LastResourceAnalyzedAt,
				"tags":                      Tags(a.Tags),
				"raw":                       a,
			}
			if a.StatusReason != nil {
				rec["status_reason"] = emptyToNull(string(a.StatusReason.Code))
			}
			if err := emit(rec); err != nil {
				return err
			}
		}
	}
	return nil
}
