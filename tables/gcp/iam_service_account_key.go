package gcp

import (
	"strings"

	"github.com/stance-cspm/stance/internal/store"
)

func init() {
	registerResource(resourceTable{
		name:        "gcp_iam_service_account_key",
		description: "Keys of IAM service accounts, user-managed and Google-managed, with their validity period. Private key material is never stored.",
		assetTypes:  []string{"iam.googleapis.com/ServiceAccountKey"},
		columns: []column{
			computed("name", store.TypeText, "Resource name, projects/PROJECT/serviceAccounts/EMAIL/keys/KEY.", func(v *view) (any, error) {
				if name := v.str("name"); name != "" {
					return name, nil
				}
				return strings.TrimPrefix(v.asset.Name, "//iam.googleapis.com/"), nil
			}),
			computed("service_account_email", store.TypeText, "Email of the service account that owns the key.", func(v *view) (any, error) {
				_, rest, ok := strings.Cut(v.asset.Name, "/serviceAccounts/")
				if !ok {
					return nil, nil
				}
				email, _, _ := strings.Cut(rest, "/")
				return email, nil
			}),
			field("key_type", store.TypeText, "USER_MANAGED or SYSTEM_MANAGED."),
			field("key_origin", store.TypeText, "GOOGLE_PROVIDED or USER_PROVIDED."),
			field("key_algorithm", store.TypeText, "Algorithm of the key, such as KEY_ALG_RSA_2048."),
			field("valid_after_time", store.TypeTimestamp, "Start of the key's validity, which is the time it was created."),
			field("valid_before_time", store.TypeTimestamp, "End of the key's validity."),
			field("disabled", store.TypeBool, "True when the key is disabled."),
		},
		redact: []string{"privateKeyData", "publicKeyData"},
	})
}
