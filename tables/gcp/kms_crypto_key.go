package gcp

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stance-cspm/stance/internal/store"
)

func init() {
	registerResource(resourceTable{
		name:        "gcp_kms_crypto_key",
		description: "Cloud KMS crypto keys with their purpose, rotation schedule and primary version.",
		assetTypes:  []string{"cloudkms.googleapis.com/CryptoKey"},
		columns: []column{
			field("name", store.TypeText, "Resource name, projects/P/locations/L/keyRings/R/cryptoKeys/K."),
			computed("key_ring", store.TypeText, "Resource name of the key ring that holds the key.", func(v *view) (any, error) {
				name := v.str("name")
				if i := strings.Index(name, "/cryptoKeys/"); i > 0 {
					return name[:i], nil
				}
				return nil, nil
			}),
			field("purpose", store.TypeText, "ENCRYPT_DECRYPT, ASYMMETRIC_SIGN, ASYMMETRIC_DECRYPT, RAW_ENCRYPT_DECRYPT or MAC."),
			field("create_time", store.TypeTimestamp, "Time the key was created."),
			field("rotation_period", store.TypeText, "Rotation period as a protobuf Duration, such as 7776000s; NULL without automatic rotation."),
			computed("rotation_period_seconds", store.TypeInt, "Rotation period in seconds; NULL without automatic rotation.", func(v *view) (any, error) {
				return durationSeconds(v.str("rotationPeriod"))
			}),
			field("next_rotation_time", store.TypeTimestamp, "Time of the next automatic rotation."),
			field("primary_name", store.TypeText, "Resource name of the primary key version.", "primary.name"),
			field("primary_state", store.TypeText, "State of the primary version: ENABLED, DISABLED, DESTROYED, DESTROY_SCHEDULED and others.", "primary.state"),
			field("primary_algorithm", store.TypeText, "Algorithm of the primary version, such as GOOGLE_SYMMETRIC_ENCRYPTION.", "primary.algorithm"),
			field("version_template_algorithm", store.TypeText, "Algorithm of new versions.", "versionTemplate.algorithm"),
			field("version_template_protection_level", store.TypeText, "SOFTWARE, HSM, EXTERNAL or EXTERNAL_VPC for new versions.", "versionTemplate.protectionLevel"),
			field("import_only", store.TypeBool, "True when new versions can only be imported."),
			field("destroy_scheduled_duration", store.TypeText, "Time a version waits in DESTROY_SCHEDULED before destruction, as a Duration."),
		},
	})
}

// durationSeconds parses a protobuf Duration in its JSON form ("7776000s",
// "3.5s") into whole seconds.
func durationSeconds(s string) (any, error) {
	if s == "" {
		return nil, nil
	}
	text, ok := strings.CutSuffix(s, "s")
	if !ok {
		return nil, fmt.Errorf("invalid duration %q: want seconds with an s suffix", s)
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return nil, fmt.Errorf("invalid duration %q: want seconds with an s suffix", s)
	}
	return int64(f), nil
}
