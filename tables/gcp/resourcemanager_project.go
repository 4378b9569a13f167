package gcp

import (
	"github.com/stance-cspm/stance/internal/store"
)

func init() {
	registerResource(resourceTable{
		name:        "gcp_resourcemanager_project",
		description: "Projects with their number, state and parent folder or organization.",
		assetTypes:  []string{"cloudresourcemanager.googleapis.com/Project"},
		columns: []column{
			field("project_id", store.TypeText, "Project ID, the account_id of the project's rows."),
			field("project_number", store.TypeInt, "Project number."),
			field("name", store.TypeText, "Display name of the project (name in the v1 API, displayName in v3).", "name", "displayName"),
			field("lifecycle_state", store.TypeText, "ACTIVE or DELETE_REQUESTED (lifecycleState in the v1 API, state in v3).", "lifecycleState", "state"),
			computed("parent", store.TypeText, "Parent as folders/ID or organizations/ID; NULL for a project without a parent.", projectParent),
			field("create_time", store.TypeTimestamp, "Time the project was created."),
		},
	})
}

// projectParent reads the parent in either API version: v1 writes
// {"type": "organization", "id": "123"}, v3 writes "organizations/123".
func projectParent(v *view) (any, error) {
	val, ok := v.get("parent")
	if !ok {
		return nil, nil
	}
	switch p := val.(type) {
	case string:
		return p, nil
	case map[string]any:
		kind, _ := p["type"].(string)
		id := scalarText(p["id"])
		if kind == "" || id == "" {
			return nil, nil
		}
		return kind + "s/" + id, nil
	}
	return nil, nil
}
