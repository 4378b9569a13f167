package gcp

import (
	"context"

	"github.com/stance-cspm/stance/internal/gcpasset"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "gcp_iam_audit_config",
		Description: "Data Access audit log settings from IAM policies, one row per resource, service and log type. " +
			"Settings on a folder or the organization appear on the project as inherited rows.",
		Key: "audit_config_id",
		Columns: []store.Column{
			{Name: "audit_config_id", Type: store.TypeText, Description: "Identifier of the row: resource, service, log type and attached_to joined by |."},
			{Name: "resource", Type: store.TypeText, Description: "Full resource name of the project, folder or organization the setting applies to."},
			{Name: "resource_type", Type: store.TypeText, Description: "Asset type of the resource."},
			{Name: "service", Type: store.TypeText, Description: "Service whose logs are enabled, such as storage.googleapis.com, or allServices."},
			{Name: "log_type", Type: store.TypeText, Description: "ADMIN_READ, DATA_READ or DATA_WRITE; NULL for a service entry without log types."},
			{Name: "exempted_members", Type: store.TypeTextList, Description: "Principals whose access is not logged."},
			{Name: "inherited", Type: store.TypeBool, Description: "True when the setting is made on a folder or the organization above the project."},
			{Name: "attached_to", Type: store.TypeText, Description: "Full resource name of the resource whose IAM policy holds the setting."},
		},
	}, fetchAuditConfigs)
}

func fetchAuditConfigs(ctx context.Context, c *Client, emit func(tables.Record) error) error {
	return listPolicies(ctx, c, gcpasset.ContentIAMPolicy, func(h policyHolder) error {
		if h.asset.IAMPolicy == nil {
			return nil
		}
		for _, ac := range h.asset.IAMPolicy.AuditConfigs {
			logs := ac.AuditLogConfigs
			if len(logs) == 0 {
				logs = []gcpasset.AuditLogConfig{{}}
			}
			for _, l := range logs {
				rec := h.baseRecord()
				rec["audit_config_id"] = rowKey(h.resource, ac.Service, l.LogType, h.attachedTo)
				rec["service"] = ac.Service
				rec["log_type"] = nullIfEmpty(l.LogType)
				rec["exempted_members"] = l.ExemptedMembers
				rec[tables.ColRaw] = l
				if err := emit(rec); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
