package gcp

import "github.com/stance-cspm/stance/internal/store"

func init() {
	registerResource(resourceTable{
		name:        "gcp_iam_service_account",
		description: "IAM service accounts of the project.",
		assetTypes:  []string{"iam.googleapis.com/ServiceAccount"},
		columns: []column{
			field("name", store.TypeText, "Resource name, projects/PROJECT/serviceAccounts/EMAIL."),
			field("email", store.TypeText, "Email address of the service account."),
			field("unique_id", store.TypeText, "Numeric unique ID, as a string."),
			field("display_name", store.TypeText, "Display name."),
			field("description", store.TypeText, "Description."),
			field("disabled", store.TypeBool, "True when the service account is disabled."),
			field("oauth2_client_id", store.TypeText, "OAuth 2.0 client ID."),
			field("project_id", store.TypeText, "ID of the project that owns the service account."),
		},
	})
}
