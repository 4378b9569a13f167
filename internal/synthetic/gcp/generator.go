// Package gcp generates a deterministic Google Cloud estate as a Cloud
// Asset Inventory export, for benchmarks of the GCP import. The estate is
// written as newline-delimited JSON in the snake_case form that
// `gcloud asset export` writes, so it runs through the same decoder and
// tables as a real export.
package gcp

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/stance-cspm/stance/internal/gcpasset"
)

// Config sizes an estate.
type Config struct {
	// Seed makes the estate reproducible.
	Seed uint64
	// Assets is the number of asset records to write (default 1,000,000).
	Assets int
	// Projects is the number of projects the assets are dealt to (default
	// 200).
	Projects int
}

// kinds are the asset shapes of the estate with their weights out of 100.
// The mix leans on the types that modelled tables read, and every bucket
// and every project also has an IAM policy record.
var kinds = []struct {
	weight int
	build  func(g *generator, p project, i int) []*gcpasset.Asset
}{
	{25, (*generator).instance},
	{20, (*generator).disk},
	{15, (*generator).bucket},
	{15, (*generator).firewall},
	{10, (*generator).serviceAccountKey},
	{10, (*generator).cryptoKey},
	{5, (*generator).subnetwork},
}

type project struct {
	id, number string
	ancestors  []string
}

type generator struct {
	rng  *rand.Rand
	base time.Time
}

// Write writes the estate to w and returns the number of records.
func Write(w io.Writer, cfg Config) (int, error) {
	if cfg.Assets <= 0 {
		cfg.Assets = 1_000_000
	}
	if cfg.Projects <= 0 {
		cfg.Projects = 200
	}
	g := &generator{rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)), base: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	bw := bufio.NewWriterSize(w, 1<<20)
	projects := make([]project, cfg.Projects)
	for i := range projects {
		number := fmt.Sprint(100000000000 + i)
		folder := fmt.Sprintf("folders/%d", 300000000000+i%10)
		projects[i] = project{id: fmt.Sprintf("synthetic-%04d", i), number: number,
			ancestors: []string{"projects/" + number, folder, "organizations/123456789012"}}
	}
	written := 0
	emit := func(a *gcpasset.Asset) error {
		b, err := gcpasset.Marshal(a)
		if err != nil {
			return err
		}
		bw.Write(b)
		written++
		return bw.WriteByte('\n')
	}
	for i := 0; written < cfg.Assets; i++ {
		p := projects[i%len(projects)]
		var batch []*gcpasset.Asset
		if i < len(projects) {
			batch = g.project(p)
		} else {
			batch = g.pick(p, i)
		}
		for _, a := range batch {
			if written == cfg.Assets {
				break
			}
			if err := emit(a); err != nil {
				return written, err
			}
		}
	}
	return written, bw.Flush()
}

func (g *generator) pick(p project, i int) []*gcpasset.Asset {
	n := g.rng.IntN(100)
	for _, k := range kinds {
		if n < k.weight {
			return k.build(g, p, i)
		}
		n -= k.weight
	}
	return kinds[0].build(g, p, i)
}

func (g *generator) when() string {
	return g.base.Add(-time.Duration(g.rng.IntN(3*365*24)) * time.Hour).Format(time.RFC3339)
}

func (g *generator) asset(p project, name, assetType, location string, data map[string]any) *gcpasset.Asset {
	raw, _ := json.Marshal(data)
	return &gcpasset.Asset{
		Name: name, AssetType: assetType, Ancestors: p.ancestors,
		UpdateTime: g.base.Add(-time.Duration(g.rng.IntN(1000)) * time.Hour),
		Resource: &gcpasset.Resource{Version: "v1", DiscoveryName: lastPart(assetType),
			Parent: "//cloudresourcemanager.googleapis.com/projects/" + p.number, Location: location, Data: raw},
	}
}

func lastPart(assetType string) string {
	for i := len(assetType) - 1; i >= 0; i-- {
		if assetType[i] == '/' {
			return assetType[i+1:]
		}
	}
	return assetType
}

func (g *generator) policy(name, assetType string, p project, members ...string) *gcpasset.Asset {
	return &gcpasset.Asset{Name: name, AssetType: assetType, Ancestors: p.ancestors,
		IAMPolicy: &gcpasset.Policy{Version: 1, Etag: "BwXhqDl9JPU=", Bindings: []gcpasset.Binding{
			{Role: "roles/viewer", Members: members},
			{Role: "roles/editor", Members: []string{"serviceAccount:" + p.number + "-compute@developer.gserviceaccount.com"}},
		}}}
}

func (g *generator) project(p project) []*gcpasset.Asset {
	name := "//cloudresourcemanager.googleapis.com/projects/" + p.number
	a := g.asset(p, name, gcpasset.TypeProject, "global", map[string]any{
		"projectId": p.id, "projectNumber": p.number, "name": p.id, "lifecycleState": "ACTIVE",
		"createTime": g.when(), "parent": map[string]any{"type": "folder", "id": p.ancestors[1][len("folders/"):]},
		"labels": map[string]any{"env": "prod", "cost-center": fmt.Sprint(g.rng.IntN(50))},
	})
	return []*gcpasset.Asset{a, g.policy(name, gcpasset.TypeProject, p, "group:auditors@example.com", "user:owner@example.com")}
}

var zones = []string{"europe-west1-b", "europe-west4-a", "us-central1-c", "us-east1-d", "asia-southeast1-a"}

func (g *generator) zone() string { return zones[g.rng.IntN(len(zones))] }

func regionOf(zone string) string { return zone[:len(zone)-2] }

func (g *generator) instance(p project, i int) []*gcpasset.Asset {
	zone := g.zone()
	name := fmt.Sprintf("vm-%07d", i)
	prefix := "https://www.googleapis.com/compute/v1/projects/" + p.id
	var access []any
	if g.rng.IntN(4) == 0 {
		access = []any{map[string]any{"name": "External NAT", "type": "ONE_TO_ONE_NAT", "natIP": fmt.Sprintf("203.0.%d.%d", g.rng.IntN(256), g.rng.IntN(256))}}
	}
	return []*gcpasset.Asset{g.asset(p, fmt.Sprintf("//compute.googleapis.com/projects/%s/zones/%s/instances/%s", p.id, zone, name),
		"compute.googleapis.com/Instance", zone, map[string]any{
			"name": name, "id": fmt.Sprint(g.rng.Uint64() >> 1), "zone": prefix + "/zones/" + zone,
			"machineType": prefix + "/zones/" + zone + "/machineTypes/e2-standard-2", "status": "RUNNING",
			"creationTimestamp": g.when(), "canIpForward": g.rng.IntN(20) == 0, "cpuPlatform": "Intel Broadwell",
			"networkInterfaces": []any{map[string]any{"name": "nic0", "network": prefix + "/global/networks/default",
				"subnetwork": prefix + "/regions/" + regionOf(zone) + "/subnetworks/default", "networkIP": fmt.Sprintf("10.%d.%d.%d", g.rng.IntN(256), g.rng.IntN(256), 2+g.rng.IntN(250)),
				"accessConfigs": access}},
			"serviceAccounts": []any{map[string]any{"email": p.number + "-compute@developer.gserviceaccount.com",
				"scopes": []any{"https://www.googleapis.com/auth/cloud-platform"}}},
			"metadata": map[string]any{"items": []any{map[string]any{"key": "enable-oslogin", "value": "TRUE"},
				map[string]any{"key": "block-project-ssh-keys", "value": fmt.Sprint(g.rng.IntN(2) == 0)}}},
			"disks": []any{map[string]any{"boot": true, "autoDelete": true, "deviceName": "persistent-disk-0",
				"source": prefix + "/zones/" + zone + "/disks/" + name, "type": "PERSISTENT", "mode": "READ_WRITE"}},
			"shieldedInstanceConfig": map[string]any{"enableSecureBoot": g.rng.IntN(2) == 0, "enableVtpm": true, "enableIntegrityMonitoring": true},
			"scheduling":             map[string]any{"automaticRestart": true, "onHostMaintenance": "MIGRATE", "preemptible": false},
			"tags":                   map[string]any{"items": []any{"web", "ssh"}},
			"labels":                 map[string]any{"app": fmt.Sprintf("app-%d", g.rng.IntN(40)), "env": "prod"},
		})}
}

func (g *generator) disk(p project, i int) []*gcpasset.Asset {
	zone := g.zone()
	name := fmt.Sprintf("disk-%07d", i)
	prefix := "https://www.googleapis.com/compute/v1/projects/" + p.id
	data := map[string]any{
		"name": name, "id": fmt.Sprint(g.rng.Uint64() >> 1), "zone": prefix + "/zones/" + zone,
		"type": prefix + "/zones/" + zone + "/diskTypes/pd-balanced", "sizeGb": fmt.Sprint(10 * (1 + g.rng.IntN(50))),
		"status": "READY", "creationTimestamp": g.when(), "sourceImage": "https://www.googleapis.com/compute/v1/projects/debian-cloud/global/images/debian-12",
		"users": []any{prefix + "/zones/" + zone + "/instances/vm-" + fmt.Sprint(i)}, "labels": map[string]any{"backup": "daily"},
	}
	if g.rng.IntN(3) == 0 {
		data["diskEncryptionKey"] = map[string]any{"kmsKeyName": "projects/" + p.id + "/locations/global/keyRings/main/cryptoKeys/disks"}
	}
	return []*gcpasset.Asset{g.asset(p, fmt.Sprintf("//compute.googleapis.com/projects/%s/zones/%s/disks/%s", p.id, zone, name),
		"compute.googleapis.com/Disk", zone, data)}
}

func (g *generator) bucket(p project, i int) []*gcpasset.Asset {
	name := fmt.Sprintf("%s-bucket-%07d", p.id, i)
	full := "//storage.googleapis.com/projects/_/buckets/" + name
	a := g.asset(p, full, "storage.googleapis.com/Bucket", "eu", map[string]any{
		"name": name, "id": name, "projectNumber": p.number, "location": "EU", "locationType": "multi-region",
		"storageClass": "STANDARD", "timeCreated": g.when(), "updated": g.when(),
		"iamConfiguration": map[string]any{"uniformBucketLevelAccess": map[string]any{"enabled": g.rng.IntN(3) > 0}, "publicAccessPrevention": "inherited"},
		"versioning":       map[string]any{"enabled": g.rng.IntN(2) == 0}, "logging": map[string]any{"logBucket": p.id + "-logs"},
		"lifecycle": map[string]any{"rule": []any{map[string]any{"action": map[string]any{"type": "Delete"}, "condition": map[string]any{"age": 365}}}},
		"labels":    map[string]any{"data-class": "internal"},
	})
	member := "group:readers@example.com"
	if g.rng.IntN(50) == 0 {
		member = "allUsers"
	}
	return []*gcpasset.Asset{a, g.policy(full, "storage.googleapis.com/Bucket", p, member)}
}

func (g *generator) firewall(p project, i int) []*gcpasset.Asset {
	name := fmt.Sprintf("fw-%07d", i)
	source := fmt.Sprintf("10.%d.0.0/16", g.rng.IntN(256))
	if g.rng.IntN(10) == 0 {
		source = "0.0.0.0/0"
	}
	return []*gcpasset.Asset{g.asset(p, fmt.Sprintf("//compute.googleapis.com/projects/%s/global/firewalls/%s", p.id, name),
		"compute.googleapis.com/Firewall", "global", map[string]any{
			"name": name, "id": fmt.Sprint(g.rng.Uint64() >> 1), "network": "https://www.googleapis.com/compute/v1/projects/" + p.id + "/global/networks/default",
			"direction": "INGRESS", "priority": 1000, "sourceRanges": []any{source}, "targetTags": []any{"web"},
			"allowed":   []any{map[string]any{"IPProtocol": "tcp", "ports": []any{fmt.Sprint([]int{22, 80, 443, 3389}[g.rng.IntN(4)])}}},
			"logConfig": map[string]any{"enable": g.rng.IntN(2) == 0}, "creationTimestamp": g.when(),
		})}
}

func (g *generator) serviceAccountKey(p project, i int) []*gcpasset.Asset {
	email := fmt.Sprintf("sa-%d@%s.iam.gserviceaccount.com", i%50, p.id)
	key := fmt.Sprintf("%040x", g.rng.Uint64())
	return []*gcpasset.Asset{g.asset(p, fmt.Sprintf("//iam.googleapis.com/projects/%s/serviceAccounts/%s/keys/%s", p.id, email, key),
		"iam.googleapis.com/ServiceAccountKey", "global", map[string]any{
			"name": fmt.Sprintf("projects/%s/serviceAccounts/%s/keys/%s", p.id, email, key), "keyType": "USER_MANAGED",
			"keyOrigin": "GOOGLE_PROVIDED", "keyAlgorithm": "KEY_ALG_RSA_2048", "validAfterTime": g.when(), "validBeforeTime": "9999-12-31T23:59:59Z",
		})}
}

func (g *generator) cryptoKey(p project, i int) []*gcpasset.Asset {
	name := fmt.Sprintf("projects/%s/locations/europe-west1/keyRings/ring-%d/cryptoKeys/key-%07d", p.id, i%20, i)
	data := map[string]any{
		"name": name, "purpose": "ENCRYPT_DECRYPT", "createTime": g.when(),
		"primary":         map[string]any{"name": name + "/cryptoKeyVersions/1", "state": "ENABLED", "algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION"},
		"versionTemplate": map[string]any{"algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION", "protectionLevel": "SOFTWARE"},
	}
	if g.rng.IntN(2) == 0 {
		data["rotationPeriod"] = fmt.Sprintf("%ds", 86400*(30+g.rng.IntN(400)))
	}
	return []*gcpasset.Asset{g.asset(p, "//cloudkms.googleapis.com/"+name, "cloudkms.googleapis.com/CryptoKey", "europe-west1", data)}
}

func (g *generator) subnetwork(p project, i int) []*gcpasset.Asset {
	region := regionOf(g.zone())
	name := fmt.Sprintf("subnet-%07d", i)
	return []*gcpasset.Asset{g.asset(p, fmt.Sprintf("//compute.googleapis.com/projects/%s/regions/%s/subnetworks/%s", p.id, region, name),
		"compute.googleapis.com/Subnetwork", region, map[string]any{
			"name": name, "id": fmt.Sprint(g.rng.Uint64() >> 1), "network": "https://www.googleapis.com/compute/v1/projects/" + p.id + "/global/networks/default",
			"ipCidrRange": fmt.Sprintf("10.%d.%d.0/24", g.rng.IntN(256), g.rng.IntN(256)), "privateIpGoogleAccess": g.rng.IntN(2) == 0,
			"logConfig": map[string]any{"enable": g.rng.IntN(2) == 0, "aggregationInterval": "INTERVAL_5_SEC"}, "creationTimestamp": g.when(),
		})}
}
